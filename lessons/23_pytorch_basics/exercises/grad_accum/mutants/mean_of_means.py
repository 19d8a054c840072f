"""Mutant: averages the micro-batch means, ignoring that the last one is smaller.

Gradient accumulation: the gradient of a big batch, computed a few examples at a time."""

import torch
from torch import nn

from homl_tui import report


def accumulate_gradients(model, loss_fn, X, y, micro_batch_size):
    """Leave in every parameter's .grad the gradient of loss_fn(model(X), y), the mean loss
    over ALL of X, computed with forward passes of at most micro_batch_size rows.

    loss_fn averages over the examples it is given (like nn.MSELoss()). Call backward() once
    per micro-batch, so that each graph is freed before the next one is built.
    Return the mean loss over all of X, as a Python float.
    """
    n = len(X)
    model.zero_grad()
    total = 0.0
    count = (n + micro_batch_size - 1) // micro_batch_size
    for start in range(0, n, micro_batch_size):
        X_part, y_part = X[start:start + micro_batch_size], y[start:start + micro_batch_size]
        loss = loss_fn(model(X_part), y_part) / count
        loss.backward()
        total += loss.item()
    return total


if __name__ == "__main__":
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(5, 16), nn.Tanh(), nn.Linear(16, 1))
    X, y = torch.randn(103, 5), torch.randn(103, 1)
    loss_fn = nn.MSELoss()

    model.zero_grad()
    full_loss = loss_fn(model(X), y)
    full_loss.backward()
    full = [p.grad.clone() for p in model.parameters()]

    gaps = []
    sizes = [1, 2, 5, 10, 25, 50, 103]
    for size in sizes:
        loss = accumulate_gradients(model, loss_fn, X, y, size)
        pairs = zip(model.parameters(), full, strict=True)
        gap = max((p.grad - g).abs().max().item() for p, g in pairs)
        gaps.append(gap)
        print(f"micro-batches of {size:3d}: loss {loss:.5f} (full batch {full_loss.item():.5f}),"
              f" largest gradient difference {gap:.1e}")
    report.plot("gradient gap", gaps, [str(s) for s in sizes], kind="bar",
                title="largest |accumulated - full-batch gradient| per micro-batch size")
