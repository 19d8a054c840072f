"""Check pca_fit(X, k) against scikit-learn's PCA on seeded random data.

Cases: correlated Gaussian clouds far from the origin (so a missing centring shows), with
(m, n, k) = (60, 5, 3), (200, 8, 8), (25, 40, 4) (fewer examples than features) and (100, 3, 1).
sklearn's components get the same sign rule as the learner's (largest |entry| positive), so
the comparison is exact up to rounding: rtol 1e-6, atol 1e-8. No training, so no thresholds.
When the components are wrong, the check tries the usual mistakes (no centring, columns of Vt
instead of rows, U instead of Vt, no sign rule; for the ratio: singular values not squared,
dividing by the kept variance only) and names the one that matches.
"""

import numpy as np
from sklearn.decomposition import PCA

from homl_tui.checks import (
    CheckFailed,
    as_array,
    describe,
    expect_close,
    expect_finite,
    fail,
    require_function,
)

FORBIDDEN = {"PCA", "TruncatedSVD", "IncrementalPCA", "KernelPCA", "decomposition", "sklearn"}
RTOL, ATOL = 1e-6, 1e-8


def _forbid_sklearn(learner, fn):
    names = set(getattr(getattr(fn, "__code__", None), "co_names", ()))
    for name in names:
        value = learner.__dict__.get(name)
        module = getattr(value, "__module__", None) or getattr(value, "__name__", "")
        if (name in FORBIDDEN or name.startswith("sklearn")
                or str(module).startswith("sklearn")):
            fail(f"pca_fit uses `{name}` from scikit-learn. Here the point is to build PCA "
                 "yourself with numpy (np.linalg.svd); sklearn's PCA is what the check "
                 "compares you with.")


def _align(C):
    C = np.array(C, dtype=float)
    biggest = np.argmax(np.abs(C), axis=1)
    signs = np.sign(C[np.arange(C.shape[0]), biggest])
    signs[signs == 0] = 1.0
    return C * signs[:, None]


def _close(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-5, atol=1e-7)


def _data(rng, m, n):
    scales = np.linspace(3.0, 0.3, n)
    rotation = np.linalg.qr(rng.normal(size=(n, n)))[0]
    return (rng.normal(size=(m, n)) * scales) @ rotation + rng.uniform(5.0, 20.0, size=n)


def _check_mean(mean, X):
    m, n = X.shape
    mean = as_array(mean)
    if mean.shape == (m,) and m != n:
        fail("`mean` has one entry per example: you averaged each row (axis=1). The mean "
             "example is the average of each feature, down the columns (axis=0).")
    expect_close("mean", mean, X.mean(axis=0), rtol=RTOL, atol=ATOL)


def _check_components(C, X, k, want):
    m, n = X.shape
    C = as_array(C).astype(float)
    if C.shape != (k, n):
        if C.shape in ((k, m), (m, k)) and m != n:
            fail(f"`components` has shape {C.shape}: one entry per example, not one per "
                 "feature. Those are columns of U (coordinates of the examples); the "
                 "directions in feature space are the rows of Vt.")
        if C.shape == (n, k) and n != k:
            fail(f"`components` has shape {C.shape}: it should hold one component per ROW, "
                 "shape (n_components, n_features). Take the first rows of Vt.")
        fail(f"`components` has shape {C.shape}, but it should be (n_components, "
             "n_features), one direction per row.")
    expect_finite("components", C)
    norms = np.linalg.norm(C, axis=1)
    if not np.allclose(norms, 1.0, rtol=1e-5, atol=1e-6):
        fail("The rows of `components` are not unit vectors (their lengths are not 1). The "
             "rows of Vt already have length 1: do not scale them.")
    if _close(C, want):
        return
    if _close(np.abs(C), np.abs(want)):
        fail("Your components have the right directions, but some have the opposite sign. "
             "Apply the sign rule to each component: flip it when its entry of largest "
             "absolute value is negative.")
    Vt_raw = np.linalg.svd(X, full_matrices=False)[2]
    if _close(np.abs(C), np.abs(Vt_raw[:k])):
        fail("Your components are the top directions of the raw data, not of the centred "
             "data: subtract the mean of each feature before the SVD. Without it, the first "
             "component points at the mean instead of along the spread.")
    Vt = np.linalg.svd(X - X.mean(axis=0), full_matrices=False)[2]
    if _close(np.abs(C), np.abs(Vt[:, :k].T)) or _close(np.abs(C), np.abs(Vt.T[:k])):
        fail("Your components are columns of Vt, but in np.linalg.svd's Vt each principal "
             "direction is a ROW (it is V, transposed). Take the first rows of Vt.")
    fail("Your components are not the principal directions of the data: they should be "
         "the first rows of Vt, from the SVD of the centred data, in order.")


def _check_ratio(ratio, X, k, want):
    ratio = as_array(ratio)
    if ratio.shape != (k,):
        fail(f"`ratio` has shape {ratio.shape}; it should have one entry per kept "
             "component.")
    expect_finite("ratio", ratio)
    if _close(ratio, want):
        return
    s = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
    if _close(ratio, s[:k] / s.sum()):
        fail("`ratio` is computed from the singular values themselves. The variance along a "
             "component is proportional to the SQUARE of its singular value: square them "
             "before dividing.")
    if k < len(s) and _close(ratio, s[:k] ** 2 / (s[:k] ** 2).sum()):
        fail("`ratio` sums to 1 over the kept components only. Divide by the TOTAL variance, "
             "summed over all singular values, so that it says how much of the data each "
             "component explains.")
    if ratio.sum() > 1 + 1e-9 or (ratio < 0).any():
        fail("`ratio` should hold fractions of the total variance: numbers between 0 and 1 "
             "that add up to at most 1.")
    expect_close("ratio", ratio, want, rtol=RTOL, atol=ATOL)


def check(learner, ctx):
    fn = require_function(learner, "pca_fit")
    _forbid_sklearn(learner, fn)
    rng = ctx.rng(8)
    for number, (m, n, k) in enumerate([(60, 5, 3), (200, 8, 8), (25, 40, 4), (100, 3, 1)],
                                       start=1):
        X = _data(rng, m, n)
        X_copy = X.copy()
        sk = PCA(n_components=k, svd_solver="full").fit(X)
        out = fn(X, k)
        where = f"On test input #{number} (X: {describe(X)}, n_components={k})"
        try:
            if not np.array_equal(X, X_copy):
                fail("your function changed X in place. Centre a copy (X - mean makes one).")
            if not isinstance(out, tuple) or len(out) != 3:
                fail("pca_fit should return a tuple (mean, components, ratio); it returned "
                     f"a {type(out).__name__}"
                     + (f" of length {len(out)}." if isinstance(out, (tuple, list)) else "."))
            mean, components, ratio = out
            _check_mean(mean, X)
            _check_components(components, X, k, _align(sk.components_))
            _check_ratio(ratio, X, k, sk.explained_variance_ratio_)
        except CheckFailed as exc:
            fail(f"{where}: {exc.message}")
