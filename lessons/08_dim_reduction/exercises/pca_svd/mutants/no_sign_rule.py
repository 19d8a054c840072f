# Mistake: skips the sign rule, so some components point the opposite way to sklearn's.
import numpy as np


def pca_fit(X, n_components):
    X = np.asarray(X, dtype=float)
    mean = X.mean(axis=0)
    U, s, Vt = np.linalg.svd(X - mean, full_matrices=False)
    components = Vt[:n_components]
    ratio = s[:n_components] ** 2 / (s ** 2).sum()
    return mean, components, ratio
