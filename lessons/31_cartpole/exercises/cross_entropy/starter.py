"""Exercise: learn the 5 weights of a linear policy with the cross-entropy method.

No gradients: sample many weight vectors from a Gaussian, play one episode with
each, keep the best few (the elite), move the Gaussian onto them, repeat.
"""

import time

import gymnasium as gym
import numpy as np

from homl_tui import report

N_WEIGHTS = 5  # 4 weights for the observation + 1 bias


def act(weights, obs):
    """Given: the linear policy (push right when weights[:4] . obs + weights[4] > 0)."""
    return 1 if float(np.dot(weights[:4], obs) + weights[4]) > 0 else 0


def run_episode(env, weights, seed, episode=None, delay=0.0):
    """Given: play one episode with `weights`, return its total reward.

    With `episode` set, a rollout frame is streamed after every step (the app
    draws the cart); `delay` slows the episode down so you can watch it.
    """
    obs, info = env.reset(seed=seed)
    total, t = 0.0, 0
    while True:
        obs, reward, terminated, truncated, info = env.step(act(weights, obs))
        total, t = total + float(reward), t + 1
        if episode is not None:
            report.frame(env, step=t, episode=episode, reward=total,
                         force=terminated or truncated)  # always show the last state
            if delay:
                time.sleep(delay)
        if terminated or truncated:
            return total


def train(n_iterations=20, population=30, elite_frac=0.2, noise=0.1, seed=0):
    """Cross-entropy method on CartPole-v1; returns the learned weights, shape (5,)."""
    rng = np.random.default_rng(seed)
    env = gym.make("CartPole-v1")
    n_elite = max(2, int(round(population * elite_frac)))
    mean = np.zeros(N_WEIGHTS)
    std = np.ones(N_WEIGHTS)
    for iteration in range(n_iterations):
        episode_seed = seed * 1000 + iteration  # all candidates of this iteration start here
        # TODO 1: sample `population` candidates from Normal(mean, std) with `rng`:
        #         an array of shape (population, N_WEIGHTS).
        # TODO 2: play one episode per candidate: run_episode(env, candidate, episode_seed).
        # TODO 3: the elite: the n_elite candidates with the HIGHEST returns
        #         (np.argsort sorts from low to high).
        # TODO 4: refit the Gaussian to the elite, per weight: mean = their mean,
        #         std = their std + noise (the extra noise keeps the search from collapsing).
        # TODO 5: stream: report.metric(step=iteration, mean_return=<mean of the returns>,
        #         best_return=<max of the returns>), report.progress(iteration + 1, n_iterations),
        #         and watch the new mean policy: run_episode(env, mean, episode_seed, episode=iteration).
        raise NotImplementedError("train: one iteration of the cross-entropy method")
    env.close()
    return mean


if __name__ == "__main__":
    n_iterations = 20
    start = time.time()
    weights = train(n_iterations=n_iterations)
    print(f"learned weights {np.round(weights, 3)} in {time.time() - start:.1f} s")
    env = gym.make("CartPole-v1")
    for k, seed in enumerate((10_000, 10_001, 10_002)):  # seeds never used in training
        # episodes 0 .. n_iterations-1 were the training previews; number the tests after them
        total = run_episode(env, weights, seed, episode=n_iterations + k, delay=0.02)
        print(f"test episode {k} (seed {seed}): {total:.0f}")
    env.close()
