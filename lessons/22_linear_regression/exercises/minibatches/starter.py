"""Minibatches: shuffle once per pass, then walk through the data in slices.

Run this file to print the batches of a tiny data set; Check to test `data_iter`.
"""

import torch


def data_iter(X, y, batch_size, generator=None):
    """Yield (X_batch, y_batch) pairs that cover every example exactly once, in random order.

    X: (n, d), y: (n,). Each batch holds batch_size examples, except the last one,
    which holds what is left over (keep it!). Use `generator` for the shuffle
    (it may be None: then torch's global generator is used).
    """
    n = X.shape[0]
    # TODO 1: a random order of the indices 0..n-1 (torch.randperm with generator=...).
    # TODO 2: walk through that order in steps of batch_size and yield X[idx], y[idx]
    #         (this is a generator function: use `yield`, not `return`).
    raise NotImplementedError("data_iter: fill in the TODOs")


if __name__ == "__main__":
    X = torch.arange(23.0).reshape(-1, 1)
    y = 10 * X[:, 0]
    g = torch.Generator().manual_seed(0)
    for X_b, y_b in data_iter(X, y, 5, g):
        print(tuple(X_b.shape), "rows", X_b[:, 0].int().tolist(), "targets", y_b.int().tolist())
