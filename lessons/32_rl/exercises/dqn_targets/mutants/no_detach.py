"""Mutant (no_detach): the two pieces of a DQN update, a TD target and the loss.

A batch from the replay buffer is (states, actions, rewards, next_states, terminated).
"""

import gymnasium as gym
import numpy as np
import torch
from torch import nn

from homl_tui.runtime.device import default_device


def td_targets(target_net, rewards, next_states, terminated, gamma):
    """y = r + gamma * max_a' Q_target(s', a'), with no future when the episode terminated.

    Returns a (batch,) tensor that carries no gradient.
    """
    next_q = target_net(next_states).max(dim=1).values  # gradient flows into the target
    return rewards + gamma * next_q * (1.0 - terminated.float())


def dqn_loss(online_net, target_net, batch, gamma):
    """Mean squared TD error of the online network's Q(s, a) for the actions taken."""
    states, actions, rewards, next_states, terminated = batch
    q_taken = online_net(states).gather(1, actions.long().unsqueeze(1)).squeeze(1)
    targets = td_targets(target_net, rewards, next_states, terminated, gamma)
    return nn.functional.mse_loss(q_taken, targets)


def random_batch(n, seed):
    """Given: n transitions of CartPole played with random actions (a tiny replay buffer)."""
    env = gym.make("CartPole-v1")
    env.action_space.seed(seed)
    rows = []
    obs, _ = env.reset(seed=seed)
    while len(rows) < n:
        action = int(env.action_space.sample())
        next_obs, reward, terminated, truncated, _ = env.step(action)
        rows.append((obs, action, reward, next_obs, terminated))
        obs = env.reset()[0] if terminated or truncated else next_obs
    env.close()
    s, a, r, s2, d = zip(*rows, strict=True)
    return (torch.tensor(np.array(s), dtype=torch.float32), torch.tensor(a),
            torch.tensor(r, dtype=torch.float32), torch.tensor(np.array(s2), dtype=torch.float32),
            torch.tensor(d))


if __name__ == "__main__":
    device = default_device()
    torch.manual_seed(0)
    online = nn.Sequential(nn.Linear(4, 32), nn.ReLU(), nn.Linear(32, 2)).to(device)
    target = nn.Sequential(nn.Linear(4, 32), nn.ReLU(), nn.Linear(32, 2)).to(device)
    target.load_state_dict(online.state_dict())  # the target net starts as a copy
    batch = tuple(t.to(device) for t in random_batch(64, seed=0))
    y = td_targets(target, batch[2], batch[3], batch[4], gamma=0.99)
    print(f"{int(batch[4].sum())} of 64 transitions end an episode; their targets are just r")
    print("first targets:", np.round(y[:5].cpu().numpy(), 3))
    loss = dqn_loss(online, target, batch, gamma=0.99)
    loss.backward()
    print(f"loss {loss.item():.4f}; gradient reaches the online net: "
          f"{online[0].weight.grad is not None}, the target net: {target[0].weight.grad is not None}")
