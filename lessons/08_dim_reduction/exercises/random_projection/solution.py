"""Reference solution: the JL bound with the natural log, and a N(0, 1/d) random matrix."""

import numpy as np

from homl_tui import report


def jl_min_dim(m, eps):
    """Dimensions that keep the squared distances of m points within a factor 1 +/- eps."""
    return int(4 * np.log(m) / (eps ** 2 / 2 - eps ** 3 / 3))


def random_project(X, d, seed):
    """Project the rows of X to d dimensions with a seeded Gaussian random matrix."""
    X = np.asarray(X, dtype=float)
    rng = np.random.default_rng(seed)
    P = rng.normal(0.0, 1.0 / np.sqrt(d), size=(d, X.shape[1]))
    return X @ P.T


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 2000))
    d = jl_min_dim(len(X), 0.3)
    X_small = random_project(X, d, seed=42)
    print(f"JL says {d} dimensions are enough for 300 points at eps = 0.3")
    print("shape before", X.shape, " after", X_small.shape)
    i, j = np.triu_indices(len(X), k=1)
    before = np.sum((X[i] - X[j]) ** 2, axis=1)
    after = np.sum((X_small[i] - X_small[j]) ** 2, axis=1)
    ratio = after / before
    print(f"squared distance ratios: min {ratio.min():.3f}, max {ratio.max():.3f}")
    report.plot("distances", after[:2000], before[:2000], kind="scatter",
                title="squared distances: after projection (y) against before (x)")
    for n_points in (10, 1_000, 100_000, 10_000_000):
        print(f"{n_points:>10,d} points, eps = 0.1: d >= {jl_min_dim(n_points, 0.1):,d}")
