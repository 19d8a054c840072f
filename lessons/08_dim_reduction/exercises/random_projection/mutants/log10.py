# Mistake: uses the base-10 logarithm in the JL bound.
import numpy as np


def jl_min_dim(m, eps):
    return int(4 * np.log10(m) / (eps ** 2 / 2 - eps ** 3 / 3))


def random_project(X, d, seed):
    rng = np.random.default_rng(seed)
    P = rng.normal(0.0, 1.0 / np.sqrt(d), size=(d, X.shape[1]))
    return X @ P.T
