"""Mutant: never seeds the episodes, so two evaluations disagree."""
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
    env = gym.make("CartPole-v1")
    returns = []
    for _ in range(n_episodes):
        returns.append(run_episode(env, policy, None))  # "random is fine"
    env.close()
    return float(np.mean(returns)), float(np.std(returns))


