"""Reference solution: tabular Q-learning on Taxi-v4 with a decaying epsilon-greedy policy.

Taxi has 500 states and 6 actions, so the whole Q-function fits in a (500, 6) table.
"""

import time

import gymnasium as gym
import numpy as np

from homl_tui import report


def epsilon_greedy(q_row, epsilon, rng):
    """With probability epsilon a uniformly random action, otherwise the best one in q_row."""
    if rng.random() < epsilon:
        return int(rng.integers(len(q_row)))
    return int(np.argmax(q_row))


def q_update(Q, s, a, r, s_next, terminated, alpha, gamma):
    """One Q-learning update of Q[s, a], in place. Returns the TD error."""
    target = r if terminated else r + gamma * np.max(Q[s_next])
    td_error = target - Q[s, a]
    Q[s, a] += alpha * td_error
    return float(td_error)


def greedy_episode(env, Q, seed, episode=None, delay=0.0):
    """Given: play one episode greedily with Q; stream its frames when `episode` is set."""
    s, _ = env.reset(seed=seed)
    total, t = 0.0, 0
    while True:
        s, r, terminated, truncated, _ = env.step(int(np.argmax(Q[s])))
        total, t = total + float(r), t + 1
        if episode is not None:
            report.frame(env, step=t, episode=episode, reward=total,
                         force=terminated or truncated)
            if delay:
                time.sleep(delay)
        if terminated or truncated:
            return total


def train(n_episodes=2000, alpha=0.5, gamma=0.99, eps_start=1.0, eps_end=0.05,
          eps_decay=0.995, seed=0, preview_every=500):
    """Q-learning on Taxi-v4; returns the learned Q table, shape (500, 6)."""
    rng = np.random.default_rng(seed)
    env = gym.make("Taxi-v4")
    viewer = gym.make("Taxi-v4", render_mode="ansi")  # text frames for the Rollout tab
    Q = np.zeros((env.observation_space.n, env.action_space.n))
    epsilon = eps_start
    recent = []
    for episode in range(n_episodes):
        s, _ = env.reset(seed=seed * 100_000 + episode)
        total = 0.0
        while True:
            a = epsilon_greedy(Q[s], epsilon, rng)
            s_next, r, terminated, truncated, _ = env.step(a)
            q_update(Q, s, a, r, s_next, terminated, alpha, gamma)
            total += float(r)
            s = s_next
            if terminated or truncated:
                break
        epsilon = max(eps_end, epsilon * eps_decay)
        recent.append(total)
        if (episode + 1) % 20 == 0:
            report.metric(step=episode, episode_return=float(np.mean(recent)), epsilon=epsilon)
            report.progress(episode + 1, n_episodes)
            recent = []
        if (episode + 1) % preview_every == 0:
            greedy_episode(viewer, Q, seed=10**6 + episode, episode=episode)
    env.close()
    viewer.close()
    return Q


if __name__ == "__main__":
    start = time.time()
    Q = train()
    print(f"trained in {time.time() - start:.1f} s")
    env = gym.make("Taxi-v4", render_mode="ansi")
    returns = [greedy_episode(env, Q, seed) for seed in range(50_000, 50_020)]
    print(f"greedy return over 20 unseen episodes: {np.mean(returns):.2f}")
    greedy_episode(env, Q, seed=50_000, episode=10_000, delay=0.3)  # watch one
    env.close()
