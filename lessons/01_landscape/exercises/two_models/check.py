"""Check fit_line and knn_predict against the reference on seeded random inputs.

fit_line: 6 seeded data sets (n from 3 to 200, x near 0 and x far from 0, where a slope
computed without centring is far off). knn_predict: 5 seeded cases (k from 1 to 5, new inputs
inside and outside the training range) plus a k = 1 sanity case. When values are wrong the
check tries the usual mistakes (np.cov with np.var, no centring, np.polyfit's order, signed
distances, skipping or adding a neighbour) and names the one the result matches.
No thresholds: exact up to float rounding (rtol 1e-6).
"""

import numpy as np

from homl_tui.checks import CheckFailed, expect_close, expect_shape, fail, require_function

RTOL = 1e-6


def _close(a, b):
    return np.allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float),
                       rtol=1e-6, atol=1e-9)


def _line_variants(x, y):
    n = len(x)
    xm, ym = x.mean(), y.mean()
    slope = np.sum((x - xm) * (y - ym)) / np.sum((x - xm) ** 2)
    raw = np.sum(x * y) / np.sum(x ** 2)
    return [
        ((slope, ym - slope * xm), "Your two numbers look swapped: return (theta0, theta1), "
         "the intercept first. (np.polyfit returns the highest power first, i.e. the slope.)"),
        ((ym - slope * n / (n - 1) * xm, slope * n / (n - 1)),
         "Your slope is too large by a factor n/(n - 1): the covariance and the variance were "
         "computed with different divisors (np.cov divides by n - 1, np.var by n). Use the "
         "same divisor for both, or plain sums, where it cancels."),
        ((ym - slope * (n - 1) / n * xm, slope * (n - 1) / n),
         "Your slope is too small by a factor (n - 1)/n: the covariance and the variance were "
         "computed with different divisors (n - 1 for one, n for the other)."),
        ((ym - raw * xm, raw), "Your slope is computed from x and y without subtracting their "
         "means first. Centre both (x - x.mean(), y - y.mean()) before multiplying."),
        ((0.0, raw), "Your line is forced through the origin and its slope ignores the means: "
         "subtract the means first, and compute the intercept from them."),
    ]


def _check_fit_line(fit_line, ref, rng):
    cases = []
    for n, x_lo, x_hi, noise in ((40, 3, 110, 0.3), (12, -5, 5, 1.0), (3, 0, 1, 0.1),
                                 (200, 1000, 1100, 5.0), (25, -50, -10, 2.0), (7, 0, 10, 0.0)):
        x = rng.uniform(x_lo, x_hi, size=n)
        y = rng.normal(0, 3) + rng.normal(0, 0.5) * x + rng.normal(0, noise, size=n)
        cases.append((x, y))
    for number, (x, y) in enumerate(cases, start=1):
        where = f"On test data set #{number} (n={len(x)}, x from {x.min():.3g} to {x.max():.3g})"
        got = fit_line(x.copy(), y.copy())
        if got is None:
            fail(f"{where} fit_line returned None: did you forget to `return theta0, theta1`?")
        try:
            got = np.asarray(got, dtype=float).reshape(-1)
        except (TypeError, ValueError):
            fail(f"{where} fit_line should return two numbers (theta0, theta1); it returned a "
                 f"{type(got).__name__}.")
        if got.shape != (2,):
            fail(f"{where} fit_line returned {got.size} number(s); it should return exactly two: "
                 "(theta0, theta1).")
        want = np.asarray(ref(x, y), dtype=float)
        if _close(got, want):
            continue
        for variant, message in _line_variants(x, y):
            if _close(got, variant):
                fail(f"{where}: {message}")
        try:
            expect_close("(theta0, theta1)", got, want, rtol=RTOL, atol=1e-9)
        except CheckFailed as exc:
            fail(f"{where}: {exc.message} The line should minimise the mean squared error; "
                 "check the formula for the slope.")


def _knn_variants(x_train, y_train, x_new, k):
    d_abs = np.abs(x_new[:, None] - x_train[None, :])
    order = np.argsort(d_abs, axis=1)
    signed = np.argsort(x_new[:, None] - x_train[None, :], axis=1)
    return [
        (y_train[signed[:, :k]].mean(axis=1), "Your k-NN picks neighbours that are not the "
         "closest: with signed differences a large negative difference counts as 'near'. A "
         "distance must be the absolute difference (or its square)."),
        (y_train[order[:, 1:k + 1]].mean(axis=1), "You left out the closest neighbour of each "
         "point: start from the first index after sorting. (Skipping it only makes sense when "
         "the query point is itself in the training set.)"),
        (y_train[order[:, :k + 1]].mean(axis=1), "You average one neighbour too many: take "
         "exactly k indices."),
        (y_train[order[:, :max(k - 1, 1)]].mean(axis=1), "You average one neighbour too few: "
         "take exactly k indices."),
        (np.median(y_train[order[:, :k]], axis=1), "You take the median of the neighbours' "
         "targets; this lesson's k-NN uses their mean."),
    ]


def _check_knn(knn_predict, ref, rng):
    cases = []
    for n, m, k in ((30, 7, 3), (40, 10, 1), (25, 6, 5), (60, 12, 3), (8, 4, 2)):
        x_train = rng.uniform(0, 100, size=n)
        y_train = rng.normal(5, 2, size=n)
        x_new = rng.uniform(-20, 120, size=m)
        cases.append((x_train, y_train, x_new, k))
    for number, (x_train, y_train, x_new, k) in enumerate(cases, start=1):
        where = (f"On test input #{number} (n={len(x_train)} training points, "
                 f"m={len(x_new)} new points, k={k})")
        got = knn_predict(x_train.copy(), y_train.copy(), x_new.copy(), k)
        if got is None:
            fail(f"{where} knn_predict returned None: return the array of predictions.")
        got = np.asarray(got, dtype=float)
        try:
            expect_shape("knn_predict(...)", got, (len(x_new),))
        except CheckFailed as exc:
            fail(f"{where} {exc.message} Return one prediction per new point (average over "
                 "axis 1, the neighbours).")
        want = ref(x_train, y_train, x_new, k)
        if _close(got, want):
            continue
        for variant, message in _knn_variants(x_train, y_train, x_new, k):
            if _close(got, variant):
                fail(f"{where}: {message}")
        try:
            expect_close("knn_predict(...)", got, want, rtol=RTOL, atol=1e-9)
        except CheckFailed as exc:
            fail(f"{where}: {exc.message}")

    x_train = rng.uniform(0, 10, size=15)
    y_train = rng.normal(0, 1, size=15)
    got = np.asarray(knn_predict(x_train, y_train, x_train.copy(), 1), dtype=float)
    if got.shape != (15,) or not _close(got, y_train):
        fail("With k=1 and the training points themselves as new points, every prediction "
             "should be that point's own target (its nearest neighbour is itself, at "
             "distance 0). Yours are not.")


def check(learner, ctx):
    fit_line = require_function(learner, "fit_line")
    knn_predict = require_function(learner, "knn_predict")
    _check_fit_line(fit_line, ctx.reference.fit_line, ctx.rng(1))
    _check_knn(knn_predict, ctx.reference.knn_predict, ctx.rng(2))
