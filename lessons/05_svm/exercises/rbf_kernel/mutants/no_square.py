import numpy as np


def rbf_kernel(X, Y, gamma):
    # Mistake: the plain Euclidean distance, not its square.
    dist = np.linalg.norm(X[:, None, :] - Y[None, :, :], axis=-1)
    return np.exp(-gamma * dist)
