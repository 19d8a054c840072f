# Mistake: computes the mean but takes the SVD of the raw data, not of the centred data.
import numpy as np


def pca_fit(X, n_components):
    X = np.asarray(X, dtype=float)
    mean = X.mean(axis=0)
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    components = Vt[:n_components].copy()
    biggest = np.argmax(np.abs(components), axis=1)
    components *= np.sign(components[np.arange(n_components), biggest])[:, None]
    ratio = s[:n_components] ** 2 / (s ** 2).sum()
    return mean, components, ratio
