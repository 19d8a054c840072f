"""All pairwise squared distances between two sets of points, with no Python loop.

X has shape (n, d): n points in d dimensions; Y has shape (m, d).
pairwise_sq_dists(X, Y)[i, j] = sum over k of (X[i, k] - Y[j, k]) ** 2

This matrix is at the heart of k-nearest neighbours, k-means, RBF kernels and attention.
A double loop over i and j in Python is hundreds of times slower than one broadcast.
"""

import torch
from homl_tui import report


def pairwise_sq_dists(X, Y):
    """Return the (n, m) tensor of squared distances, with the dtype of X and Y.

    No Python loops (for, while, comprehensions): use broadcasting.
    """
    # TODO 1: give X a new axis so its points run along axis 0: shape (n, 1, d).
    # TODO 2: give Y a new axis so its points run along axis 1: shape (1, m, d).
    # TODO 3: subtract (broadcasts to (n, m, d)), square, and sum over the last axis.
    raise NotImplementedError("pairwise_sq_dists: fill in the TODOs")


if __name__ == "__main__":
    # Press Run: two blobs of points; the distance matrix shows two dark blocks.
    torch.manual_seed(0)
    a = torch.randn(20, 2) + torch.tensor([4.0, 0.0])
    b = torch.randn(20, 2) - torch.tensor([4.0, 0.0])
    points = torch.cat([a, b])
    D = pairwise_sq_dists(points, points)
    print("shape", tuple(D.shape), "dtype", D.dtype, "diagonal max", D.diagonal().max().item())
    print("nearest other point of point 0:", D[0, 1:].argmin().item() + 1)
    report.plot("squared distances (two blobs)", D, kind="image")
