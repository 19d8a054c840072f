"""Mutant (deterministic): value iteration on FrozenLake, from the environment's own model.

env.unwrapped.P[s][a] is a list of (probability, next_state, reward, terminated)
tuples: everything that can happen when action a is taken in state s.
"""

import time

import gymnasium as gym
import numpy as np

from homl_tui import report

ARROWS = "<v>^"  # FrozenLake's actions: 0 left, 1 down, 2 right, 3 up


def q_values(P, V, s, n_actions, gamma):
    """One-step lookahead: an array of n_actions values Q(s, a) computed from V."""
    q = np.zeros(n_actions)
    for a in range(n_actions):
        prob, s_next, reward, terminated = P[s][a][0]  # only the intended move
        future = 0.0 if terminated else gamma * V[s_next]
        q[a] += reward + future
    return q


def value_iteration(P, n_states, n_actions, gamma=0.99, tol=1e-10, max_iters=10_000):
    """Return (V, policy): V a float array (n_states,), policy an int array (n_states,)."""
    V = np.zeros(n_states)
    for _ in range(max_iters):
        V_new = np.array([q_values(P, V, s, n_actions, gamma).max() for s in range(n_states)])
        delta = np.max(np.abs(V_new - V))
        V = V_new
        if delta < tol:
            break
    policy = np.array([int(np.argmax(q_values(P, V, s, n_actions, gamma)))
                       for s in range(n_states)])
    return V, policy


if __name__ == "__main__":
    env = gym.make("FrozenLake-v1", render_mode="ansi")  # 4x4, slippery
    n_states, n_actions = env.observation_space.n, env.action_space.n
    start = time.time()
    V, policy = value_iteration(env.unwrapped.P, n_states, n_actions, gamma=0.99)
    print(f"value iteration: {time.time() - start:.2f} s")
    side = int(np.sqrt(n_states))
    desc = env.unwrapped.desc.astype(str)
    print("V (4x4):")
    print(np.round(V.reshape(side, side), 3))
    print("greedy policy (H = hole, G = goal):")
    for i in range(side):
        print(" ".join(desc[i, j] if desc[i, j] in "HG" else ARROWS[policy[i * side + j]]
                       for j in range(side)))
    report.plot("values", V.reshape(side, side), kind="image", title="V(s) on FrozenLake 4x4")
    wins = 0
    for episode in range(5):  # watch a few episodes in the Rollout tab
        s, _ = env.reset(seed=episode)
        t = 0
        while True:
            s, r, terminated, truncated, _ = env.step(int(policy[s]))
            t += 1
            report.frame(env, step=t, episode=episode, reward=r, force=terminated or truncated)
            time.sleep(0.05)
            if terminated or truncated:
                wins += int(r > 0)
                break
    print(f"reached the goal in {wins} of 5 episodes")
