"""Reference solution: cumulative sum of the explained variance ratios, first index + 1."""

import numpy as np
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA

from homl_tui import report


def explained_variance_ratios(X):
    """The explained variance ratio of every principal component of X, largest first."""
    return PCA().fit(X).explained_variance_ratio_


def n_components_for_variance(X, threshold=0.95):
    """Smallest d such that the first d explained variance ratios sum to >= threshold."""
    cumulative = np.cumsum(explained_variance_ratios(X))
    return int(np.argmax(cumulative >= threshold)) + 1


if __name__ == "__main__":
    X, _ = load_digits(return_X_y=True)
    cumulative = np.cumsum(explained_variance_ratios(X))
    for threshold in (0.5, 0.8, 0.9, 0.95, 0.99):
        d = n_components_for_variance(X, threshold)
        print(f"{threshold:.0%} of the variance needs {d:2d} of {X.shape[1]} components")
    report.plot("cumulative explained variance", cumulative, np.arange(1, len(cumulative) + 1),
                title="cumulative explained variance of the digits, against d")
