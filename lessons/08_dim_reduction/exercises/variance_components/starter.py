"""How many principal components keep 95% of the variance?

n_components_for_variance(X, threshold) returns the SMALLEST number d of principal components
whose explained variance ratios add up to at least `threshold` (a fraction, e.g. 0.95).

You may get the ratios from sklearn's PCA (fitted with all components) or from your own SVD.
"""

import numpy as np
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA

from homl_tui import report


def explained_variance_ratios(X):
    """The explained variance ratio of every principal component of X, largest first."""
    return PCA().fit(X).explained_variance_ratio_


def n_components_for_variance(X, threshold=0.95):
    """Smallest d such that the first d explained variance ratios sum to >= threshold."""
    ratios = explained_variance_ratios(X)
    # TODO 1: the running total of the ratios: cumulative[i] = ratios[0] + ... + ratios[i].
    # TODO 2: find the first index where the running total reaches the threshold
    #         (np.argmax on a boolean array returns the index of its first True).
    # TODO 3: turn that index into a NUMBER of components and return it as an int.
    raise NotImplementedError("n_components_for_variance: fill in the TODOs")


if __name__ == "__main__":
    # Press Run: the cumulative explained variance of the 8x8 digits, and a few cut-offs.
    X, _ = load_digits(return_X_y=True)
    cumulative = np.cumsum(explained_variance_ratios(X))
    for threshold in (0.5, 0.8, 0.9, 0.95, 0.99):
        d = n_components_for_variance(X, threshold)
        print(f"{threshold:.0%} of the variance needs {d:2d} of {X.shape[1]} components")
    report.plot("cumulative explained variance", cumulative, np.arange(1, len(cumulative) + 1),
                title="cumulative explained variance of the digits, against d")
