"""Check ridge_closed_form against scikit-learn's Ridge on seeded problems.

sklearn's Ridge minimises ||y - X w - b||^2 + alpha ||w||^2 with a free intercept b, which is
exactly the closed form with an unpenalised bias; the reference agrees with it to about 1e-15.
Cases mix shapes, feature means far from zero (so penalising the bias visibly moves it) and
alphas from 0.1 to 100. We allow rtol 1e-6. Wrong variants (bias penalised, alpha ignored,
penalty scaled by the number of examples) are recomputed here to name the mistake.
"""

import numpy as np

from homl_tui.checks import describe, expect_close, expect_shape, fail, require_function

CASES = [(40, 3, 1.0), (100, 5, 10.0), (30, 8, 0.1), (60, 2, 100.0)]


def _solve(X, y, alpha, penalise_bias=False, scale=1.0):
    X_b = np.column_stack([np.ones(len(X)), X])
    A = np.eye(X_b.shape[1])
    if not penalise_bias:
        A[0, 0] = 0.0
    return np.linalg.solve(X_b.T @ X_b + scale * alpha * A, X_b.T @ y)


def _near(a, b):
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-5, atol=1e-8)


def _call(fn, X, y, alpha, label):
    got = fn(X.copy(), y.copy(), alpha)
    if got is None:
        fail(f"{label} returned None: did you forget to `return` theta?")
    got = np.asarray(got, dtype=float)
    n = X.shape[1]
    if got.shape == (n,):
        fail(f"{label} returned {n} values for {n} features: theta needs the bias first, then "
             "the weights (add the column of ones).")
    expect_shape(label, got.reshape(-1) if got.size == n + 1 else got, (n + 1,))
    return got.reshape(-1)


def check(learner, ctx):
    from sklearn.linear_model import Ridge

    ridge = require_function(learner, "ridge_closed_form")
    rng = ctx.rng(11)
    for number, (m, n, alpha) in enumerate(CASES, start=1):
        X = rng.normal(rng.uniform(2, 6, n), rng.uniform(0.5, 2, n), size=(m, n))
        y = 5 + X @ rng.normal(0, 2, n) + rng.normal(0, 1, m)
        label = f"ridge_closed_form(X, y, alpha={alpha:g}) on test problem #{number} " \
                f"(X: {describe(X)})"
        got = _call(ridge, X, y, alpha, label)
        other = _call(ridge, X, y, alpha * 10, label)
        if np.allclose(got, other, rtol=1e-9, atol=1e-12):
            fail(f"{label}: the result does not change when alpha is multiplied by 10, so "
                 "alpha has no effect. The penalty matrix must be multiplied by alpha before "
                 "it is added.")
        sk = Ridge(alpha=alpha).fit(X, y)
        want = np.r_[sk.intercept_, sk.coef_]
        if _near(got, _solve(X, y, alpha, penalise_bias=True)):
            fail(f"{label}: the bias is penalised too, so it is pulled towards 0 and the "
                 "predictions shift. Only the weights are penalised: the entry of the "
                 "penalty matrix that multiplies the bias must be 0.")
        if _near(got, _solve(X, y, alpha, scale=m)) or _near(got, _solve(X, y, alpha, True, m)):
            fail(f"{label}: your penalty is {m} times stronger than sklearn's (m = {m}): it "
                 "looks like alpha was added to the MEAN of X_b.T @ X_b. sklearn adds alpha "
                 "to X_b.T @ X_b itself (a sum over the examples).")
        expect_close(label, got, want, rtol=1e-6, atol=1e-9)

    X = rng.normal(0, 1, size=(20, 6))
    y = X[:, 0] - 2 * X[:, 1] + rng.normal(0, 1, 20)
    alphas = [0.01, 0.1, 1.0, 10.0, 100.0, 1000.0]
    norms = [float(np.linalg.norm(_call(ridge, X, y, a, "ridge_closed_form")[1:]))
             for a in alphas]
    ctx.report.plot("weight norm per alpha", norms, [f"{a:g}" for a in alphas], kind="bar",
                    title="your ridge: the weights shrink as alpha grows")
