"""Standardise an array along one axis: zero mean, unit standard deviation.

For a data matrix X of shape (n_samples, n_features), standardize(X, axis=0) makes every
COLUMN (feature) have mean 0 and standard deviation 1; standardize(X, axis=1) does it for
every ROW. It must work for arrays with any number of dimensions and any axis
(including negative ones such as axis=-1).
"""

import numpy as np
from homl_tui import report


def standardize(X, axis=0, eps=1e-8):
    """Return (X - mean) / (std + eps), with mean and std taken along `axis`.

    Use the population standard deviation (NumPy's default, ddof=0). No Python loops.
    """
    # TODO 1: compute the mean along `axis`, keeping the reduced axis (size 1) so that
    #         it broadcasts against X.
    # TODO 2: the same for the standard deviation.
    # TODO 3: return (X - mean) / (std + eps).
    raise NotImplementedError("standardize: fill in the TODOs")


if __name__ == "__main__":
    # Press Run: three features on wildly different scales, before and after.
    rng = np.random.default_rng(0)
    X = rng.normal(loc=[10.0, -3.0, 0.5], scale=[5.0, 0.1, 1.0], size=(200, 3))
    Z = standardize(X, axis=0)
    print("before: means", X.mean(axis=0).round(3), " stds", X.std(axis=0).round(3))
    print("after:  means", Z.mean(axis=0).round(6), " stds", Z.std(axis=0).round(6))
    report.plot("feature 1 before (x) and after (y)", Z[:, 0], X[:, 0], kind="scatter")
    R = standardize(X, axis=1)
    print("rows after axis=1: first row mean", R[0].mean().round(6), "std", R[0].std().round(6))
