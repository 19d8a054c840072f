"""Synthetic data for linear regression: y = X @ w + b + noise."""

import torch


def make_data(w, b, n, noise, generator):
    """Return ``X`` of shape (n, d) and ``y`` of shape (n,), both float32.

    The rows of ``X`` are standard normal; ``y = X @ w + b`` plus Gaussian noise
    with standard deviation ``noise``. Every random number comes from ``generator``.
    """
    w = torch.as_tensor(w, dtype=torch.float32)
    X = torch.randn(n, w.shape[0], generator=generator)
    y = X @ w + b + noise * torch.randn(n, generator=generator)
    return X, y


if __name__ == "__main__":
    g = torch.Generator().manual_seed(0)
    X, y = make_data(torch.tensor([2.0, -3.4]), 4.2, 1000, 0.01, g)
    print("X:", tuple(X.shape), X.dtype, " y:", tuple(y.shape), y.dtype)
    print("first row:", X[0].tolist(), "->", round(y[0].item(), 4))
