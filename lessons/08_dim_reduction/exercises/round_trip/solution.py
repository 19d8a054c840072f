"""Reference solution: project, map back, add the mean back; fit on the training set only."""

import numpy as np
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.model_selection import train_test_split

from homl_tui import report


def compress(X, pca):
    """Coordinates of the rows of X along pca's components: shape (m, k)."""
    return (np.asarray(X, dtype=float) - pca.mean_) @ pca.components_.T


def decompress(Z, pca):
    """Map coordinates Z of shape (m, k) back to feature space: shape (m, n)."""
    return np.asarray(Z, dtype=float) @ pca.components_ + pca.mean_


def held_out_reconstruction_mse(X_train, X_test, n_components):
    """Fit PCA(n_components) on X_train; return the mean squared reconstruction error on X_test."""
    pca = PCA(n_components=n_components).fit(X_train)
    X_back = decompress(compress(X_test, pca), pca)
    return float(np.mean((np.asarray(X_test, dtype=float) - X_back) ** 2))


if __name__ == "__main__":
    X, y = load_digits(return_X_y=True)
    X_train, X_test = train_test_split(X, test_size=0.25, random_state=42)
    pca = PCA(n_components=10).fit(X_train)
    X_back = decompress(compress(X_test[:1], pca), pca)
    report.plot("original", X_test[0].reshape(8, 8), kind="image", title="a test digit")
    report.plot("after", X_back[0].reshape(8, 8), kind="image",
                title="the same digit, rebuilt from 10 numbers")
    ks = [1, 2, 5, 10, 15, 20, 30, 40, 64]
    errors = [held_out_reconstruction_mse(X_train, X_test, k) for k in ks]
    for k, e in zip(ks, errors, strict=True):
        print(f"k = {k:2d}: held-out reconstruction MSE {e:7.3f}")
    report.plot("error against k", errors, ks, title="held-out reconstruction MSE against k")
