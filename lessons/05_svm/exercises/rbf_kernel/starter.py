"""The Gaussian RBF kernel by hand, in NumPy: K[i, j] = exp(-gamma * ||X[i] - Y[j]||^2).

Run this file to compare your kernel with scikit-learn's and plot its bell curves;
Check to test it. Inside rbf_kernel, use NumPy only (no scikit-learn, no loops needed).
"""

import numpy as np

from homl_tui import report


def rbf_kernel(X, Y, gamma):
    """Return the (n, m) matrix of RBF similarities between the rows of X (n, d) and Y (m, d)."""
    # TODO 1: the differences between every row of X and every row of Y, shape (n, m, d)
    #         (give X and Y a new axis each, as in the broadcasting lesson).
    # TODO 2: the squared Euclidean distances, shape (n, m).
    # TODO 3: return exp(-gamma * squared distance).
    raise NotImplementedError("rbf_kernel: fill in the TODOs")


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
