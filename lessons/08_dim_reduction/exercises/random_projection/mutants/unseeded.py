# Mistake: draws from the global generator and ignores the seed: not reproducible.
import numpy as np


def jl_min_dim(m, eps):
    return int(4 * np.log(m) / (eps ** 2 / 2 - eps ** 3 / 3))


def random_project(X, d, seed):
    P = np.random.normal(0.0, 1.0 / np.sqrt(d), size=(d, X.shape[1]))
    return X @ P.T
