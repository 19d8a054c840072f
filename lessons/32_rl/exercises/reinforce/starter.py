"""Exercise: REINFORCE (Monte Carlo policy gradient) on CartPole-v1.

A small network outputs the logits of the two actions; the agent samples its
actions, and after each episode pushes up the log-probability of every action in
proportion to the (normalised) discounted return that followed it.
"""

import time

import gymnasium as gym
import numpy as np
import torch
from torch import nn

from homl_tui import report
from homl_tui.runtime.device import default_device


def make_policy(hidden=32):
    """Given: 4 observations in, 2 action logits out."""
    return nn.Sequential(nn.Linear(4, hidden), nn.ReLU(), nn.Linear(hidden, 2))


def returns_to_go(rewards, gamma):
    """Given: discounted return from every step to the end of the episode."""
    out = np.zeros(len(rewards))
    running = 0.0
    for t in range(len(rewards) - 1, -1, -1):
        running = rewards[t] + gamma * running
        out[t] = running
    return out


def reinforce_loss(logits, actions, returns):
    """Policy-gradient loss for one episode.

    logits: (T, 2) tensor, actions: (T,) int64 tensor, returns: (T,) float tensor of
    returns-to-go. The returns are normalised (zero mean, unit std) first; the loss
    is minus the mean of log pi(a_t | s_t) * normalised return.
    """
    # TODO 1: normalise `returns` (subtract the mean, divide by std + 1e-8).
    # TODO 2: the log-probabilities of all actions (torch.log_softmax over dim 1), then the
    #         one of the action actually TAKEN in each row (gather with `actions`).
    # TODO 3: the loss to MINIMISE: minus the mean of log-prob * normalised return.
    raise NotImplementedError("reinforce_loss")


def play(env, policy, seed, generator, device, episode=None):
    """Given: one episode, actions sampled from the policy.

    Returns (observations (T, 4) tensor, actions (T,) tensor, rewards list).
    """
    obs, _ = env.reset(seed=seed)
    observations, actions, rewards = [], [], []
    t = 0
    while True:
        x = torch.as_tensor(obs, dtype=torch.float32)
        with torch.no_grad():
            probs = torch.softmax(policy(x.to(device)), dim=-1).cpu()
        action = int(torch.multinomial(probs, 1, generator=generator))
        obs, reward, terminated, truncated, _ = env.step(action)
        observations.append(x)
        actions.append(action)
        rewards.append(float(reward))
        t += 1
        if episode is not None:
            report.frame(env, step=t, episode=episode, reward=sum(rewards),
                         force=terminated or truncated)
        if terminated or truncated:
            return torch.stack(observations), torch.tensor(actions), rewards


def train(n_episodes=300, gamma=0.99, lr=0.01, seed=0, watch_every=50):
    """REINFORCE on CartPole-v1; returns the trained policy network (on the CPU)."""
    device = default_device()
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    policy = make_policy().to(device)
    optimizer = torch.optim.Adam(policy.parameters(), lr=lr)
    env = gym.make("CartPole-v1")
    for episode in range(n_episodes):
        watch = episode % watch_every == watch_every - 1
        obs, actions, rewards = play(env, policy, seed * 100_000 + episode, generator, device,
                                     episode=episode if watch else None)
        # TODO 4: the discounted returns-to-go of this episode as a float32 tensor
        #         (returns_to_go is given), the loss from reinforce_loss on
        #         policy(obs) (on `device`), then one optimizer step (zero_grad, backward, step).
        raise NotImplementedError("train: one policy-gradient update per episode")
        report.metric(step=episode, episode_return=sum(rewards), loss=loss.item())
        report.progress(episode + 1, n_episodes)
    env.close()
    return policy.cpu()


def greedy_return(policy, seed, env=None):
    """Given: one episode with the most likely action at every step."""
    env = env or gym.make("CartPole-v1")
    obs, _ = env.reset(seed=seed)
    total = 0.0
    while True:
        with torch.no_grad():
            action = int(policy(torch.as_tensor(obs, dtype=torch.float32)).argmax())
        obs, reward, terminated, truncated, _ = env.step(action)
        total += float(reward)
        if terminated or truncated:
            return total


if __name__ == "__main__":
    start = time.time()
    policy = train()
    print(f"trained in {time.time() - start:.1f} s")
    env = gym.make("CartPole-v1")
    scores = [greedy_return(policy, seed, env) for seed in range(20_000, 20_010)]
    print(f"greedy return on 10 unseen episodes: {np.mean(scores):.1f} (max 500)")
