# Mistake: the explained variance ratio from the singular values, not their squares.
import numpy as np


def pca_fit(X, n_components):
    X = np.asarray(X, dtype=float)
    mean = X.mean(axis=0)
    U, s, Vt = np.linalg.svd(X - mean, full_matrices=False)
    components = Vt[:n_components].copy()
    biggest = np.argmax(np.abs(components), axis=1)
    components *= np.sign(components[np.arange(n_components), biggest])[:, None]
    ratio = s[:n_components] / s.sum()
    return mean, components, ratio
