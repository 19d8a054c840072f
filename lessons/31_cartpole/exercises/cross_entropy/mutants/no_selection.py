"""Mutant: refits the Gaussian to all candidates, so nothing is selected."""
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
    mean = np.zeros(N_WEIGHTS)
    std = np.ones(N_WEIGHTS)
    for iteration in range(n_iterations):
        episode_seed = seed * 1000 + iteration  # all candidates of this iteration start here
        candidates = mean + std * rng.standard_normal((population, N_WEIGHTS))
        returns = np.array([run_episode(env, w, episode_seed) for w in candidates])
        elite = candidates  # every candidate gets a vote
        mean = elite.mean(axis=0)
        std = elite.std(axis=0) + noise
        policy_return = run_episode(env, mean, episode_seed, episode=iteration)
        report.metric(step=iteration, mean_return=returns.mean(), best_return=returns.max(),
                      policy_return=policy_return)
        report.progress(iteration + 1, n_iterations)
    env.close()
    return mean


