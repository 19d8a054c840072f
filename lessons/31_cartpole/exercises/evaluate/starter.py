"""Exercise: measure a policy over several seeded episodes.

One episode is a noisy measurement: the start state is random. `evaluate` plays
`n_episodes` episodes, episode i starting from env.reset(seed=seed + i), and
returns the mean and the standard deviation of their returns.
"""

import time

import gymnasium as gym
import numpy as np

from homl_tui import report


def run_episode(env, policy, seed, animate=False, episode=0):
    """Given: play one episode and return its total reward (streams frames if `animate`)."""
    obs, info = env.reset(seed=seed)
    total, t = 0.0, 0
    while True:
        obs, reward, terminated, truncated, info = env.step(policy(obs))
        total, t = total + float(reward), t + 1
        if animate:
            report.frame(env, step=t, episode=episode, reward=total,
                         force=terminated or truncated)  # always show the last state
            time.sleep(0.02)
        if terminated or truncated:
            return total


def evaluate(policy, n_episodes=10, seed=0):
    """Mean and standard deviation of the returns of `policy` on CartPole-v1.

    Episode i (for i = 0 .. n_episodes - 1) uses the seed `seed + i`.
    Returns a tuple of two floats: (mean, std), with std as np.std computes it.
    """
    # TODO: make one CartPole-v1 environment with gym.make.
    # TODO: play n_episodes episodes with run_episode, each with its own seed.
    # TODO: close the environment and return (mean, std) of the returns as floats.
    raise NotImplementedError("evaluate: play seeded episodes and summarise their returns")


if __name__ == "__main__":
    def lean(obs):  # push the way the pole leans
        return int(obs[2] > 0)

    def spin(obs):  # push the way the pole is falling
        return int(obs[3] > 0)

    env = gym.make("CartPole-v1")
    for episode, policy in enumerate((lean, lean)):
        print(f"watching episode {episode}: {run_episode(env, policy, seed=episode, animate=True, episode=episode):.0f}")
    env.close()
    for name, policy in [("against the cart velocity", lambda obs: int(obs[1] < 0)),
                         ("follow the lean", lean), ("follow the angular velocity", spin)]:
        mean, std = evaluate(policy, n_episodes=20, seed=100)
        print(f"{name:>36}: {mean:6.1f} +/- {std:5.1f} over 20 episodes")
