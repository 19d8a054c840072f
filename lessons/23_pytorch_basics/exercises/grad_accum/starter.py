"""Gradient accumulation: the gradient of a big batch, computed a few examples at a time.

When a batch does not fit in memory, you can still get its exact gradient: run the forward and
backward passes on small "micro-batches" one after the other and let backward() ADD their
gradients into .grad. Two details make the sum exact:
  - start from zero: gradients left over from earlier work must not be included;
  - weight each micro-batch by its share of the examples: loss_fn returns a MEAN over its
    micro-batch, and the last micro-batch may be smaller than the others.

Run this file to compare accumulated and full-batch gradients; Check to test your function.
"""

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
    # TODO 1: clear the gradients first (model.zero_grad()).
    # TODO 2: for start in range(0, n, micro_batch_size): take the rows start:start+micro_batch_size,
    #         compute their mean loss, scale it by (rows in this micro-batch) / n, and call
    #         backward() on the scaled loss. Add the scaled loss (.item()) to a running total.
    # TODO 3: return the total (it is the mean loss over all n rows).
    raise NotImplementedError("accumulate_gradients: fill in the TODOs")


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
