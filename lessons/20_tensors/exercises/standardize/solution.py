"""Reference solution: standardise an array along one axis."""

import numpy as np


def standardize(X, axis=0, eps=1e-8):
    """Subtract the mean and divide by the standard deviation along `axis`."""
    mean = X.mean(axis=axis, keepdims=True)
    std = X.std(axis=axis, keepdims=True)
    return (X - mean) / (std + eps)


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    X = rng.normal(loc=[10.0, -3.0, 0.5], scale=[5.0, 0.1, 1.0], size=(200, 3))
    Z = standardize(X, axis=0)
    print("column means:", Z.mean(axis=0).round(6), "column stds:", Z.std(axis=0).round(6))
