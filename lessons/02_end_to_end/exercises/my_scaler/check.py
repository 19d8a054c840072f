"""Check StandardScalerClone against sklearn.preprocessing.StandardScaler.

Seeded random matrices (three shapes, one constant column each, exactly representable so both
scalers see a zero deviation), with and without with_mean, fitted on one matrix and applied to
another. Compared: what fit returns, n_features_in_, mean_, scale_, transform,
inverse_transform, fit_transform, get_feature_names_out (arrays and DataFrames), clone().
No thresholds: float64 arithmetic, compared to rtol 1e-7.
"""

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.preprocessing import StandardScaler

from homl_tui.checks import expect_close, expect_equal, expect_true, fail

RTOL, ATOL = 1e-7, 1e-9


def _close(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and np.allclose(a, b, rtol=RTOL, atol=ATOL)


def _case(rng, n, d, const):
    centers = rng.uniform(-20, 20, size=d)
    spreads = rng.uniform(0.5, 8.0, size=d)
    X = rng.normal(centers, spreads, size=(n, d))
    X_new = rng.normal(centers + 3.0, spreads * 2.0, size=(n + 5, d))
    X[:, const] = 7.0
    X_new[:, const] = rng.normal(7.0, 1.0, size=n + 5)
    return X, X_new


def _check_fit(est, ref, X, where):
    if est.fit(X.copy()) is not est:
        fail(f"fit returned something other than the scaler itself {where}. By "
             "scikit-learn's convention fit returns the fitted estimator, and "
             "fit(X).transform(X), fit_transform and pipelines rely on it.")
    expect_equal(f"n_features_in_ {where}", getattr(est, "n_features_in_", None), X.shape[1],
                 "It is the number of columns fit saw.")
    for name in ("mean_", "scale_"):
        if not hasattr(est, name):
            fail(f"After fit the scaler has no attribute `{name}` {where}: fit must store it.")
    expect_close(f"mean_ {where}", est.mean_, ref.mean_, rtol=RTOL, atol=ATOL)
    scale = np.asarray(est.scale_, dtype=float)
    if _close(scale[ref.var_ > 0], X.std(axis=0, ddof=1)[ref.var_ > 0]):
        fail(f"scale_ {where} is the sample standard deviation (dividing by n - 1); "
             "StandardScaler divides by n (ddof=0, NumPy's default for .std()).")
    const = np.flatnonzero(ref.var_ == 0)
    if scale.shape == ref.scale_.shape and np.any(scale[const] == 0):
        fail(f"scale_ is 0 for the constant column {where}, so transform would divide by "
             "zero. A column that never varies has nothing to scale: use 1 there instead.")
    expect_close(f"scale_ {where}", scale, ref.scale_, rtol=RTOL, atol=ATOL)


def _check_transform(est, ref, X_new, where):
    given = X_new.copy()
    Z = est.transform(given)
    if not np.array_equal(given, X_new):
        fail(f"transform changed the array it was given {where}: `X -= ...` works in place "
             "on the caller's data. Compute a new array (X = X - ...).")
    if Z is None:
        fail(f"transform returned None {where}: return the scaled array.")
    own = StandardScaler(with_mean=ref.with_mean).fit(X_new).transform(X_new)
    want = ref.transform(X_new)
    if not _close(Z, want) and _close(Z, own):
        fail(f"transform {where} standardizes new data with that data's own mean and "
             "deviation. It must reuse the statistics learned in fit (mean_ and scale_): "
             "that is what makes the test set be scaled like the training set.")
    expect_close(f"transform(X) {where}", Z, want, rtol=RTOL, atol=ATOL)


def _check_one(cls, X, X_new, with_mean):
    where = f"(with_mean={with_mean}, X of shape {X.shape})"
    est = cls(with_mean=with_mean)
    ref = StandardScaler(with_mean=with_mean).fit(X)
    _check_fit(est, ref, X, where)
    _check_transform(est, ref, X_new, where)
    Z = ref.transform(X_new)
    back = est.inverse_transform(Z.copy())
    if back is None:
        fail(f"inverse_transform returned None {where}: return the array.")
    expect_close(f"inverse_transform(Z) {where}", back, ref.inverse_transform(Z),
                 rtol=RTOL, atol=1e-7)
    expect_close(f"fit_transform(X) {where}", cls(with_mean=with_mean).fit_transform(X.copy()),
                 ref.transform(X), rtol=RTOL, atol=ATOL)
    return est


def _names(est, *args):
    out = est.get_feature_names_out(*args)
    if out is None:
        fail("get_feature_names_out returned None: return an array of names.")
    return [str(v) for v in np.asarray(out).reshape(-1)]


def check(learner, ctx):
    cls = getattr(learner, "StandardScalerClone", None)
    if not isinstance(cls, type):
        fail("Define a class named `StandardScalerClone` (it was not found in your file).")
    try:
        twin = clone(cls(with_mean=False))
    except Exception as exc:  # noqa: BLE001 - any failure here means the estimator API is off
        fail(f"scikit-learn's clone() fails on your scaler ({type(exc).__name__}: {exc}). "
             "Keep __init__ as given: store each argument under its own name.")
    expect_true(twin.get_params().get("with_mean") is False,
                "clone() lost the with_mean setting: __init__ must store it as self.with_mean.")

    rng = ctx.rng(3)
    for n, d, const in ((60, 4, 1), (9, 3, 0), (250, 6, 5)):
        X, X_new = _case(rng, n, d, const)
        for with_mean in (True, False):
            _check_one(cls, X, X_new, with_mean)

    X, _ = _case(rng, 30, 3, 2)
    est = cls().fit(X)
    expect_equal("get_feature_names_out() after fitting on an array", _names(est),
                 ["x0", "x1", "x2"], "Without column names, scikit-learn names them x0, x1, ...")
    frame = pd.DataFrame(X, columns=["rooms", "age", "income"])
    est = cls().fit(frame)
    expect_equal("get_feature_names_out() after fitting on a DataFrame", _names(est),
                 ["rooms", "age", "income"], "Use the DataFrame's column names "
                 "(feature_names_in_, which fit stores).")
    expect_equal("get_feature_names_out(['a', 'b', 'c'])", _names(est, ["a", "b", "c"]),
                 ["a", "b", "c"], "Names passed as input_features come first.")
    expect_close("transform(DataFrame)", est.transform(frame),
                 StandardScaler().fit(frame).transform(frame), rtol=RTOL, atol=ATOL)
