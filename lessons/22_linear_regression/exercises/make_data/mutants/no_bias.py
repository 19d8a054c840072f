import torch


def make_data(w, b, n, noise, generator):
    # Mistake: forgets to add the bias.
    X = torch.randn(n, len(w), generator=generator)
    y = X @ w + noise * torch.randn(n, generator=generator)
    return X, y
