import torch


def data_iter(X, y, batch_size, generator=None):
    n = X.shape[0]
    order = torch.randperm(n, generator=generator)
    # Mistake: stops before the last, smaller batch.
    for start in range(0, n - batch_size + 1, batch_size):
        idx = order[start:start + batch_size]
        yield X[idx], y[idx]
