"""The Gaussian RBF kernel by hand, in NumPy: K[i, j] = exp(-gamma * ||X[i] - Y[j]||^2)."""

import numpy as np

from homl_tui import report


def rbf_kernel(X, Y, gamma):
    """Return the (n, m) matrix of RBF similarities between the rows of X (n, d) and Y (m, d)."""
    diff = X[:, None, :] - Y[None, :, :]          # (n, m, d): every pair of points
    sq_dist = np.sum(diff ** 2, axis=-1)          # (n, m): squared Euclidean distances
    return np.exp(-gamma * sq_dist)


if __name__ == "__main__":
    from sklearn.metrics.pairwise import rbf_kernel as sklearn_rbf_kernel

    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(4, 3)), rng.normal(size=(5, 3))
    mine = rbf_kernel(X, Y, gamma=0.5)
    theirs = sklearn_rbf_kernel(X, Y, gamma=0.5)
    print("shape", mine.shape, " largest difference from scikit-learn:",
          float(np.abs(mine - theirs).max()))

    # The similarity of a point to landmarks along a line, for three values of gamma.
    x = np.linspace(-4, 4, 161)[:, None]
    for gamma in (0.1, 1.0, 10.0):
        k = rbf_kernel(x, np.zeros((1, 1)), gamma)[:, 0]
        print(f"gamma={gamma:5}: similarity to 0 at distance 1 = {k[100]:.4f}")
        report.plot(f"rbf gamma={gamma}", k, x[:, 0], title=f"exp(-{gamma} * x^2)")
