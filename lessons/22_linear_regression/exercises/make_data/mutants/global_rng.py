import torch


def make_data(w, b, n, noise, generator):
    # Mistake: draws from torch's global generator and ignores `generator`.
    X = torch.randn(n, len(w))
    y = X @ w + b + noise * torch.randn(n)
    return X, y
