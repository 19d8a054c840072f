"""Check add_bias and normal_equation against np.linalg.lstsq and sklearn's LinearRegression.

Cases: seeded random problems of several shapes (m examples, n features) whose features have
non-zero means and a non-zero true bias, so a missing column of ones is always visible. The
reference agrees with lstsq to about 1e-12 here; we allow rtol 1e-6. The problems are well
conditioned (features have scales between 0.5 and 3), so inv and solve both pass.
"""

import ast
from pathlib import Path

import numpy as np

from homl_tui.checks import (
    describe,
    expect_close,
    expect_shape,
    expect_type,
    fail,
    require_function,
)

SHAPES = [(50, 1), (120, 3), (40, 6), (200, 2)]
RTOL, ATOL = 1e-6, 1e-8


def _problem(rng, m, n):
    X = rng.normal(rng.uniform(-3, 3, n), rng.uniform(0.5, 3, n), size=(m, n))
    theta = rng.uniform(-4, 4, n + 1)
    theta[0] = rng.choice([-1, 1]) * rng.uniform(2, 5)          # a bias far from zero
    y = theta[0] + X @ theta[1:] + rng.normal(0, 0.5, m)
    return X, y


def _forbidden(learner):
    path = Path(getattr(learner, "__file__", "") or "")
    if not path.is_file():
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] + [getattr(node, "module", "") or ""]
            if any(name.split(".")[0] == "sklearn" for name in names):
                fail("Your file imports scikit-learn: here the point is to write the normal "
                     "equation with NumPy only.")
    for func in (getattr(learner, "normal_equation", None),):
        if func is None:
            continue
        code = func.__code__
        if "lstsq" in code.co_names or "pinv" in code.co_names:
            fail("normal_equation calls np.linalg.lstsq or pinv, which solve the problem for "
                 "you (the check compares with them). Write the equation itself, with inv or "
                 "solve.")


def _call(fn, name, *args):
    try:
        return fn(*args)
    except np.linalg.LinAlgError as exc:
        fail(f"{name} raised LinAlgError ({exc}): the matrix you inverted is singular. "
             "Look at its shape: it should have one row and one column per parameter "
             "(bias included), not one per example. Check which side of the product is "
             "transposed.")
    except ValueError as exc:
        if "matmul" in str(exc) or "shapes" in str(exc) or "aligned" in str(exc):
            fail(f"{name} raised a shape error ({str(exc).splitlines()[0]}). The products do "
                 "not line up: check which matrix is transposed in each product.")
        raise


def _check_add_bias(add_bias, rng):
    X = rng.normal(size=(7, 3))
    X_b = _call(add_bias, "add_bias", X.copy())
    expect_type("add_bias(X)", X_b, np.ndarray, "NumPy array")
    expect_shape("add_bias(X) for X of shape (7, 3)", X_b, (7, 4))
    if np.allclose(X_b[:, -1], 1) and not np.allclose(X_b[:, 0], 1):
        fail("add_bias puts the column of ones last; the lesson's convention is first, so "
             "that theta[0] is the bias.")
    expect_close("add_bias(X)[:, 0] (the column of ones)", X_b[:, 0], np.ones(7))
    expect_close("add_bias(X)[:, 1:] (the features)", X_b[:, 1:], X)


def _diagnose(got, X, y, want, label):
    n = X.shape[1]
    if got.shape == (n,):
        fail(f"{label} returned {n} value(s) for {n} feature(s): there is no bias (intercept). "
             "Add the column of ones (add_bias) before solving, so theta has n + 1 entries.")
    if got.ndim == 2 and got.size == n + 1:
        fail(f"{label} returned shape {got.shape}, a column; return a flat vector of shape "
             f"({n + 1},) (keep y one-dimensional, or flatten the result).")
    expect_shape(label, got, (n + 1,))
    if not np.all(np.isfinite(got)):
        fail(f"{label} contains NaN or infinite values: the matrix you inverted is singular "
             "or nearly so. Check which side of X_b.T @ X_b is transposed.")
    if np.allclose(np.roll(got, 1), want, rtol=1e-4, atol=1e-6):
        fail(f"{label} has the bias last: theta[0] must be the bias, then the weights (put "
             "the column of ones first).")
    expect_close(label, got, want, rtol=RTOL, atol=ATOL)


def check(learner, ctx):
    add_bias = require_function(learner, "add_bias")
    normal_equation = require_function(learner, "normal_equation")
    _forbidden(learner)
    rng = ctx.rng(4)
    _check_add_bias(add_bias, rng)

    for number, (m, n) in enumerate(SHAPES, start=1):
        X, y = _problem(rng, m, n)
        label = f"normal_equation(X, y) on test problem #{number} (X: {describe(X)})"
        got = _call(normal_equation, "normal_equation", X.copy(), y.copy())
        if got is None:
            fail(f"{label} returned None: did you forget to `return` theta?")
        got = np.asarray(got, dtype=float)
        want, *_ = np.linalg.lstsq(np.column_stack([np.ones(m), X]), y, rcond=None)
        _diagnose(got, X, y, want, label)

    from sklearn.linear_model import LinearRegression

    X, y = _problem(rng, 80, 4)
    sk = LinearRegression().fit(X, y)
    got = np.asarray(_call(normal_equation, "normal_equation", X.copy(), y.copy()), dtype=float)
    _diagnose(got, X, y, np.r_[sk.intercept_, sk.coef_],
              "normal_equation(X, y), compared with sklearn's LinearRegression,")

    x = rng.uniform(0, 2, 60)
    y = 4 + 3 * x + rng.normal(0, 1, 60)
    theta = np.asarray(normal_equation(x[:, None], y), dtype=float)
    ctx.report.plot("data", y, x, kind="scatter", title="a check problem: y = 4 + 3x + noise")
    grid = np.linspace(0, 2, 30)
    ctx.report.plot("your fit", theta[0] + theta[1] * grid, grid,
                    title="the line your normal equation found")
