import numpy as np


def rbf_kernel(X, Y, gamma):
    # Mistake: gamma treated like a width (sigma-style), dividing instead of multiplying.
    sq_dist = np.sum((X[:, None, :] - Y[None, :, :]) ** 2, axis=-1)
    return np.exp(-sq_dist / gamma)
