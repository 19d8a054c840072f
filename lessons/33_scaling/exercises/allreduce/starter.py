"""Data parallelism simulated in one process: replicas, shards and an all-reduce of gradients.

Run this file to train 4 replicas side by side with one model on the full batch and compare
their loss curves; Check to test both functions.
"""

import copy

import torch
from torch import nn

from homl_tui import report


def all_reduce_mean(per_rank):
    """per_rank[r] is the list of gradient tensors of rank r (one per parameter, same shapes
    on every rank). Return a list with one entry per rank, each a list of tensors: the
    element-wise MEAN over the ranks, parameter by parameter. Every rank gets the same values
    (like dist.all_reduce followed by a division by the world size).
    """
    # TODO 1: for every parameter position i, stack the R tensors per_rank[r][i] and average
    #         them over the ranks (zip(*per_rank) groups them by parameter).
    # TODO 2: return one list of averaged tensors per rank (clone them, so ranks do not share).
    raise NotImplementedError("all_reduce_mean: fill in the TODOs")


def data_parallel_step(replicas, X, y, loss_fn, lr):
    """One synchronous data-parallel SGD step.

    replicas: identical copies of a model, one per simulated rank. Split the batch (X, y) into
    len(replicas) equal shards (X.chunk), let replica r compute the gradient of loss_fn on shard
    r (clear its old gradients first), average the gradients across the replicas with
    all_reduce_mean, and update every replica with p -= lr * averaged_grad (under no_grad).
    Return the mean of the replicas' losses as a float.
    """
    # TODO 3: for each replica and its shard (X.chunk(world), y.chunk(world)):
    #         clear its gradients, compute the loss on its shard, backward(), and keep
    #         [p.grad for p in model.parameters()] and loss.item().
    # TODO 4: average the gradients with all_reduce_mean.
    # TODO 5: under torch.no_grad(), update each replica's parameters with its averaged copy.
    # TODO 6: return the mean of the losses.
    raise NotImplementedError("data_parallel_step: fill in the TODOs")

if __name__ == "__main__":
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(5, 16), nn.Tanh(), nn.Linear(16, 1))
    single = copy.deepcopy(net)
    replicas = [copy.deepcopy(net) for _ in range(4)]
    X = torch.randn(256, 5)
    y = (X[:, :1] * 2 - X[:, 1:2]).tanh() + 0.05 * torch.randn(256, 1)
    loss_fn, lr = nn.MSELoss(), 0.2
    for step in range(60):
        idx = torch.arange(step * 32, step * 32 + 32) % 256
        ddp_loss = data_parallel_step(replicas, X[idx], y[idx], loss_fn, lr)
        single.zero_grad()
        loss = loss_fn(single(X[idx]), y[idx])
        loss.backward()
        with torch.no_grad():
            for p in single.parameters():
                p -= lr * p.grad
        report.metric(step=step, data_parallel=ddp_loss, single=loss.item())
    gap = max((a - b).abs().max().item()
              for a, b in zip(replicas[0].parameters(), single.parameters(), strict=True))
    drift = max((a - b).abs().max().item()
                for r in replicas[1:]
                for a, b in zip(replicas[0].parameters(), r.parameters(), strict=True))
    print(f"after 60 steps: 4 replicas vs one model on the full batch differ by {gap:.1e}")
    print(f"largest difference between replicas: {drift:.1e} (they stay in lockstep)")
