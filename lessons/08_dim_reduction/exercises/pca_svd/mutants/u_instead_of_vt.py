# Mistake: takes the principal directions from U (coordinates of the examples) instead of Vt.
import numpy as np


def pca_fit(X, n_components):
    X = np.asarray(X, dtype=float)
    mean = X.mean(axis=0)
    U, s, Vt = np.linalg.svd(X - mean, full_matrices=False)
    components = U[:, :n_components].T.copy()
    biggest = np.argmax(np.abs(components), axis=1)
    components *= np.sign(components[np.arange(n_components), biggest])[:, None]
    ratio = s[:n_components] ** 2 / (s ** 2).sum()
    return mean, components, ratio
