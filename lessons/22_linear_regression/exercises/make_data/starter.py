"""Synthetic data for linear regression: y = X @ w + b + noise.

Run this file to print a few samples; Check to test `make_data`.
"""

import torch


def make_data(w, b, n, noise, generator):
    """Return ``X`` of shape (n, d) and ``y`` of shape (n,), both float32.

    w:         a 1-D tensor of d true weights
    b:         the true bias (a float)
    n:         how many examples to draw
    noise:     the standard deviation of the Gaussian noise added to y
    generator: a torch.Generator; draw EVERY random number from it
               (torch.randn(..., generator=generator)) so the data is reproducible
    """
    # TODO 1: draw X, an (n, d) tensor of standard normal features (d = len(w)).
    # TODO 2: compute the noiseless targets X @ w + b (shape (n,)).
    # TODO 3: add noise * (standard normal draws of shape (n,)) and return X, y.
    raise NotImplementedError("make_data: fill in the TODOs")


if __name__ == "__main__":
    g = torch.Generator().manual_seed(0)
    X, y = make_data(torch.tensor([2.0, -3.4]), 4.2, 1000, 0.01, g)
    print("X:", tuple(X.shape), X.dtype, " y:", tuple(y.shape), y.dtype)
    print("first row:", X[0].tolist(), "->", round(y[0].item(), 4))
