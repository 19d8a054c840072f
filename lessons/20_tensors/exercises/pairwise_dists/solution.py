"""Reference solution: all pairwise squared distances by broadcasting."""

import torch


def pairwise_sq_dists(X, Y):
    """(n, m) tensor of squared Euclidean distances between the rows of X and of Y."""
    diff = X[:, None, :] - Y[None, :, :]      # (n, 1, d) - (1, m, d) -> (n, m, d)
    return (diff ** 2).sum(dim=-1)


if __name__ == "__main__":
    X = torch.randn(4, 2)
    print(pairwise_sq_dists(X, X))
