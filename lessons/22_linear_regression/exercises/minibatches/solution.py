"""Minibatches: shuffle once per pass, then walk through the data in slices."""

import torch


def data_iter(X, y, batch_size, generator=None):
    """Yield (X_batch, y_batch) pairs that cover every example exactly once, in random order.

    The last batch is smaller when batch_size does not divide n; it is kept.
    """
    n = X.shape[0]
    order = torch.randperm(n, generator=generator)
    for start in range(0, n, batch_size):
        idx = order[start:start + batch_size]
        yield X[idx], y[idx]


if __name__ == "__main__":
    X = torch.arange(23.0).reshape(-1, 1)
    y = 10 * X[:, 0]
    g = torch.Generator().manual_seed(0)
    for X_b, y_b in data_iter(X, y, 5, g):
        print(tuple(X_b.shape), "rows", X_b[:, 0].int().tolist(), "targets", y_b.int().tolist())
