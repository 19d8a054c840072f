import torch


def data_iter(X, y, batch_size, generator=None):
    n = X.shape[0]
    # Mistake: walks through the data in its stored order.
    order = torch.arange(n)
    for start in range(0, n, batch_size):
        idx = order[start:start + batch_size]
        yield X[idx], y[idx]
