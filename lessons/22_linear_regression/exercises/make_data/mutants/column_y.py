import torch


def make_data(w, b, n, noise, generator):
    # Mistake: returns y as an (n, 1) column (as some books do) instead of shape (n,).
    X = torch.randn(n, len(w), generator=generator)
    y = X @ w + b + noise * torch.randn(n, generator=generator)
    return X, y.reshape(-1, 1)
