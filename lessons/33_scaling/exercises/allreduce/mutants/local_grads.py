"""Mutant: calls all_reduce_mean as if it averaged in place (like dist.all_reduce) and
ignores its result, so each replica steps with its own local gradient.

Data parallelism simulated in one process: replicas, shards and an all-reduce of gradients."""

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
    world = len(per_rank)
    means = [torch.stack(grads).mean(dim=0) for grads in zip(*per_rank, strict=True)]
    return [[m.clone() for m in means] for _ in range(world)]


def data_parallel_step(replicas, X, y, loss_fn, lr):
    """One synchronous data-parallel SGD step.

    replicas: identical copies of a model, one per simulated rank. Split the batch (X, y) into
    len(replicas) equal shards (X.chunk), let replica r compute the gradient of loss_fn on shard
    r (clear its old gradients first), average the gradients across the replicas with
    all_reduce_mean, and update every replica with p -= lr * averaged_grad (under no_grad).
    Return the mean of the replicas' losses as a float.
    """
    world = len(replicas)
    grads, losses = [], []
    for model, X_part, y_part in zip(replicas, X.chunk(world), y.chunk(world), strict=True):
        model.zero_grad()
        loss = loss_fn(model(X_part), y_part)
        loss.backward()
        grads.append([p.grad for p in model.parameters()])
        losses.append(loss.item())
    all_reduce_mean(grads)  # as if it worked in place, like dist.all_reduce
    with torch.no_grad():
        for model in replicas:
            for p in model.parameters():
                p -= lr * p.grad
    return sum(losses) / world


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
