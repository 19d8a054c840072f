"""Compress with PCA, decompress, and measure what was lost on digits the PCA never saw.

pca is a FITTED sklearn PCA: pca.mean_ has shape (n,), pca.components_ has shape (k, n),
one principal direction per row.

compress(X, pca)      -> Z, shape (m, k): the coordinates of each example along the components
decompress(Z, pca)    -> X_back, shape (m, n): the points of feature space those coordinates
                         describe (the best approximation of X that k components can give)
Write both by hand with pca.mean_ and pca.components_ (do not call pca.transform or
pca.inverse_transform: the point is to see what they do).

held_out_reconstruction_mse(X_train, X_test, k) fits a PCA with k components on the TRAINING
set only, sends the TEST set through compress and decompress, and returns the mean squared
difference between the test set and its reconstruction (averaged over every pixel of every
example).
"""

import numpy as np
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.model_selection import train_test_split

from homl_tui import report


def compress(X, pca):
    """Coordinates of the rows of X along pca's components: shape (m, k)."""
    # TODO 1: centre X with the mean the PCA learned, then project onto the components.
    raise NotImplementedError("compress: fill in the TODO")


def decompress(Z, pca):
    """Map coordinates Z of shape (m, k) back to feature space: shape (m, n)."""
    # TODO 2: combine the components with the weights in Z, then undo the centring.
    raise NotImplementedError("decompress: fill in the TODO")


def held_out_reconstruction_mse(X_train, X_test, n_components):
    """Fit PCA(n_components) on X_train; return the mean squared reconstruction error on X_test."""
    # TODO 3: fit the PCA on the training set only.
    # TODO 4: compress then decompress the test set with your two functions.
    # TODO 5: return the mean of the squared differences as a float.
    raise NotImplementedError("held_out_reconstruction_mse: fill in the TODOs")


if __name__ == "__main__":
    # Press Run: one test digit before and after the round trip, and the error against k.
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
