"""Check jl_min_dim against sklearn's johnson_lindenstrauss_min_dim, and random_project by
behaviour: shape, reproducibility, data independence, and kept pairwise distances.

jl_min_dim: (m, eps) = (1000, 0.1), (5000, 0.2), (200, 0.3), (10**6, 0.5), (50, 0.9); sklearn
rounds down, and the check also accepts rounding up.
random_project: 200 seeded Gaussian points in 1,500 dimensions projected to d = 588 (the JL
dimension for m = 200, eps = 0.3), so every pair's squared distance should change by a factor
within [0.7, 1.3]. Reference over 20 runs (data seeds 0-19, projection seeds 1000-1019):
the median ratio is 0.994-1.007, the extreme pairs' ratios lie in [0.76, 1.31], and at most one
pair of 19,900 (0.005%) falls outside [0.7, 1.3]; sklearn's Gaussian and sparse random
projections behave the same. The bars: the median ratio within [0.9, 1.1] (a missing
1/sqrt(d) scaling gives about d), and at most 0.1% of the pairs outside [1 - eps, 1 + eps].
"""

import math
import numbers

import numpy as np
from sklearn.random_projection import johnson_lindenstrauss_min_dim

from homl_tui.checks import as_array, expect_finite, fail, require_function

EPS = 0.3
M, N = 200, 1500


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _check_jl(fn):
    cases = [(1000, 0.1), (5000, 0.2), (200, 0.3), (10 ** 6, 0.5), (50, 0.9)]
    for m, eps in cases:
        got = fn(m, eps)
        label = f"jl_min_dim({m}, {eps})"
        if got is None:
            fail(f"{label} returned None: did you forget to `return` the result?")
        if not _is_int(got):
            fail(f"{label} returned a {type(got).__name__}; a number of dimensions is a whole "
                 "number: convert it with int(...).")
        exact = 4 * math.log(m) / (eps ** 2 / 2 - eps ** 3 / 3)
        allowed = {int(johnson_lindenstrauss_min_dim(m, eps=eps)), math.floor(exact),
                   math.ceil(exact)}
        if int(got) in allowed:
            continue
        den = eps ** 2 / 2 - eps ** 3 / 3

        def near(value, got=int(got)):
            return abs(got - value) <= 1

        if near(4 * math.log10(m) / den):
            fail(f"{label} uses the base-10 logarithm. The bound uses the natural logarithm: "
                 "np.log (or math.log), not np.log10.")
        if near(4 * math.log2(m) / den):
            fail(f"{label} uses the base-2 logarithm. The bound uses the natural logarithm: "
                 "np.log (or math.log), not np.log2.")
        for wrong in (eps ** 2 / 2 + eps ** 3 / 3, eps ** 2 / 2, eps ** 2 - eps ** 3,
                      eps ** 2 / 2 - eps ** 3 / 2, (eps ** 2 / 2 - eps ** 3) / 3):
            if near(4 * math.log(m) / wrong):
                fail(f"{label}: the denominator is not right. Check it term by term, with its "
                     "signs and brackets: eps**2 / 2 - eps**3 / 3.")
        fail(f"{label} returned {int(got)}, which does not follow the bound "
             "4 * log(m) / (eps**2 / 2 - eps**3 / 3).")


def _sq_dists(Z):
    i, j = np.triu_indices(len(Z), k=1)
    sq = np.sum(Z ** 2, axis=1)
    return np.maximum(sq[i] + sq[j] - 2 * np.sum(Z[i] * Z[j], axis=1), 0.0)


def _check_projection(fn, ctx):
    rng = ctx.rng(11)
    X = rng.normal(size=(M, N))
    d = int(johnson_lindenstrauss_min_dim(M, eps=EPS))
    where = f"random_project(X, d={d}, seed=7) with X of shape {X.shape}"
    X_copy = X.copy()
    Z = fn(X, d, 7)
    if Z is None:
        fail(f"{where} returned None: did you forget to `return` X @ P.T?")
    Z = as_array(Z).astype(float)
    if not np.array_equal(X, X_copy):
        fail(f"{where} changed X in place; leave the input as it was.")
    if Z.shape != (M, d):
        if Z.shape == (d, M):
            fail(f"{where} returned shape {Z.shape}, the transpose of what it should be: one "
                 "row per example, one column per new dimension. Return X @ P.T.")
        fail(f"{where} returned shape {Z.shape}; it should be (m, d) = {(M, d)}.")
    expect_finite("random_project(X, d, seed)", Z)
    again = as_array(fn(X.copy(), d, 7)).astype(float)
    if not np.array_equal(Z, again):
        fail(f"{where} gave different results on two calls with the same seed: the "
             "projection is not reproducible. Draw the matrix from "
             "np.random.default_rng(seed), not from the global np.random functions.")
    other = as_array(fn(X.copy(), d, 8)).astype(float)
    if np.allclose(Z, other):
        fail(f"{where} gave the same result for seeds 7 and 8: the seed is ignored. Make the "
             "generator from the seed you are given.")
    part = as_array(fn(X[:50].copy(), d, 7)).astype(float)
    if part.shape != (50, d) or not np.allclose(part, Z[:50], rtol=1e-8, atol=1e-8):
        fail(f"{where}: projecting the first 50 rows alone does not give the first 50 rows of "
             "the full projection. A random projection must not look at the data: the matrix "
             "should depend only on the seed, d and the number of features.")
    ratio = _sq_dists(Z) / _sq_dists(X)
    median = float(np.median(ratio))
    if not 0.9 <= median <= 1.1:
        fail(f"{where}: squared distances are multiplied by about {median:.3g} (the median "
             "ratio over all pairs). They should stay about the same: the entries of P need "
             "mean 0 and variance 1 / d, i.e. a standard deviation of 1 / sqrt(d).")
    outside = float(np.mean((ratio < 1 - EPS) | (ratio > 1 + EPS)))
    if outside > 0.001:
        fail(f"{where}: {outside:.2%} of the pairs of points had their squared distance "
             f"changed by more than a factor 1 +/- {EPS}. With independent Gaussian entries "
             "of variance 1 / d that almost never happens: check how P is drawn.")
    ctx.report.plot("distances", _sq_dists(Z)[:1500], _sq_dists(X)[:1500], kind="scatter",
                    title="squared distances after (y) against before (x) the projection")


def check(learner, ctx):
    jl = require_function(learner, "jl_min_dim")
    project = require_function(learner, "random_project")
    _check_jl(jl)
    _check_projection(project, ctx)
