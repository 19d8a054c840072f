"""Mutant (normalised): the discounted return from every step of an episode.

G_t = r_t + gamma * r_{t+1} + gamma**2 * r_{t+2} + ...  =  r_t + gamma * G_{t+1}
"""

import numpy as np

from homl_tui import report


def discounted_returns(rewards, gamma):
    """Return an array G (float, same length as rewards) with G[t] = sum_k gamma**k * rewards[t+k]."""
    rewards = np.asarray(rewards, dtype=np.float64)
    G = np.zeros_like(rewards)
    running = 0.0
    for t in range(len(rewards) - 1, -1, -1):
        running = rewards[t] + gamma * running
        G[t] = running
    return (G - G.mean()) / (G.std() + 1e-8)  # normalised, but nobody asked for it


if __name__ == "__main__":
    rewards = [0, 0, 0, 0, 1]  # a reward only at the end, like reaching the goal
    for gamma in (1.0, 0.9, 0.5):
        print(f"gamma={gamma}: {np.round(discounted_returns(rewards, gamma), 3)}")
    cartpole = np.ones(100)  # CartPole pays +1 per step
    for gamma in (0.9, 0.99):
        G = discounted_returns(cartpole, gamma)
        print(f"100 steps of +1, gamma={gamma}: G_0 = {G[0]:.2f} (limit {1 / (1 - gamma):.0f})")
        report.plot(f"returns_{gamma}", G, np.arange(len(G)), title=f"returns-to-go, gamma={gamma}",
                    xlabel="step t", ylabel="G_t")
