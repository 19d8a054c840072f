"""Exercise: a policy with parameters — a linear score and its sign.

`weights` is a NumPy array of 5 numbers: one per observation entry, then a bias.
    score = weights[0]*obs[0] + weights[1]*obs[1] + weights[2]*obs[2] + weights[3]*obs[3] + weights[4]
The policy pushes right (action 1) when the score is positive, left (action 0) otherwise.
Every choice of the 5 numbers is a different policy: the next exercise searches them.
"""

import gymnasium as gym
import numpy as np


def act(weights, obs):
    """The action (int 0 or 1) the linear policy with `weights` takes for observation `obs`."""
    # TODO: compute the score: the dot product of weights[:4] with obs, plus the bias weights[4].
    # TODO: return 1 if the score is positive, else 0 (a plain Python int).
    raise NotImplementedError("act: score the observation and take its sign")


if __name__ == "__main__":
    import time

    from homl_tui import report

    candidates = {
        "all zeros (always left)": np.zeros(5),
        "follow the lean": np.array([0.0, 0.0, 1.0, 0.0, 0.0]),
        "a random draw": np.random.default_rng(3).normal(size=5),
        "follow the angular velocity": np.array([0.0, 0.0, 0.0, 1.0, 0.0]),
    }
    env = gym.make("CartPole-v1")
    for episode, (name, weights) in enumerate(candidates.items()):
        obs, info = env.reset(seed=episode)
        total, t = 0.0, 0
        while True:
            obs, reward, terminated, truncated, info = env.step(act(weights, obs))
            total, t = total + reward, t + 1
            report.frame(env, step=t, episode=episode, reward=total,
                         force=terminated or truncated)  # always show the last state
            time.sleep(0.02)
            if terminated or truncated or t >= 200:  # a short look at each policy
                break
        print(f"{name:>28}: weights {np.round(weights, 2)} -> {total:.0f} steps")
    env.close()
