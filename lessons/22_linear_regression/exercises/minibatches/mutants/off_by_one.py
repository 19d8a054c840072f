import torch


def data_iter(X, y, batch_size, generator=None):
    n = X.shape[0]
    order = torch.randperm(n, generator=generator)
    for start in range(0, n, batch_size):
        # Mistake: treats the end of the slice as inclusive, so the last example is never used.
        idx = order[start:min(start + batch_size, n - 1)]
        yield X[idx], y[idx]
