import numpy as np


def rbf_kernel(X, Y, gamma):
    # Mistake: sums over the points of Y (axis 1) instead of over the features.
    sq_dist = np.sum((X[:, None, :] - Y[None, :, :]) ** 2, axis=1)
    return np.exp(-gamma * sq_dist)
