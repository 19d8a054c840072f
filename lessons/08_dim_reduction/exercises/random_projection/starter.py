"""Random projection and the Johnson-Lindenstrauss bound.

jl_min_dim(m, eps) is the number of dimensions d that the Johnson-Lindenstrauss lemma says is
enough to project m points so that, with high probability, every squared distance between two
of them changes by at most a factor (1 +/- eps):

    d >= 4 * log(m) / (eps**2 / 2 - eps**3 / 3)        (log is the natural logarithm)

Return it as an int, rounded down like sklearn.random_projection.johnson_lindenstrauss_min_dim
(rounding up is accepted too).

random_project(X, d, seed) maps the rows of X (shape (m, n)) to d dimensions with a random
Gaussian matrix P of shape (d, n) whose entries have mean 0 and variance 1 / d, drawn from
np.random.default_rng(seed). It returns X @ P.T, shape (m, d). P never looks at the data.
"""

import numpy as np

from homl_tui import report


def jl_min_dim(m, eps):
    """Dimensions that keep the squared distances of m points within a factor 1 +/- eps."""
    # TODO 1: the formula in the docstring above, with np.log; return an int.
    raise NotImplementedError("jl_min_dim: fill in the TODO")


def random_project(X, d, seed):
    """Project the rows of X to d dimensions with a seeded Gaussian random matrix."""
    # TODO 2: a generator made from the seed.
    # TODO 3: P, shape (d, n_features): normal entries with mean 0 and standard deviation
    #         1 / sqrt(d), so that lengths are kept on average.
    # TODO 4: return X @ P.T
    raise NotImplementedError("random_project: fill in the TODOs")


if __name__ == "__main__":
    # Press Run: 300 points in 2,000 dimensions, squashed to the JL dimension for eps = 0.3.
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
