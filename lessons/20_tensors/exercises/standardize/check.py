"""Check standardize(X, axis) on seeded arrays of 2 and 3 dimensions and several axes.

The order of the cases matters: a square matrix with axis=1 comes early because there a
missing keepdims does not raise, it silently subtracts the wrong means.
When the values are wrong, the check tries the usual mistakes (another axis, no keepdims,
ddof=1, the whole array at once) and names the one the result matches.
"""

import numpy as np

from homl_tui.checks import (
    CheckFailed,
    describe,
    expect_close,
    expect_shape,
    expect_type,
    fail,
    require_function,
)

RTOL, ATOL = 1e-5, 1e-6


def _standardize(X, axis, eps=1e-8, ddof=0, keepdims=True):
    mean = X.mean(axis=axis, keepdims=keepdims)
    std = X.std(axis=axis, ddof=ddof, keepdims=keepdims)
    return (X - mean) / (std + eps)


def _close(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-4, atol=1e-6, equal_nan=False)


def _diagnose(got, X, axis):
    """A sentence naming the mistake the (wrong) result matches, or ''."""
    ax = axis % X.ndim
    with np.errstate(all="ignore"):
        for other in range(X.ndim):
            if other != ax and _close(got, _standardize(X, other)):
                return (f"Your result is standardised along axis {other}, but axis={axis} was "
                        "asked for: pass the `axis` argument on to mean() and std().")
        try:
            if _close(got, _standardize(X, axis, keepdims=False)):
                return ("Your mean and std lost the reduced axis, so broadcasting lined them "
                        "up with the wrong axis of X (this input happens to be square, so no "
                        "error was raised). Use keepdims=True in mean() and std().")
        except ValueError:
            pass
        if _close(got, _standardize(X, axis, ddof=1)):
            return ("Your values are off by a constant factor: you used the sample standard "
                    "deviation (ddof=1, torch.std's default). Use the population one (ddof=0, "
                    "NumPy's default).")
        if _close(got, _standardize(X, None, keepdims=False)):
            return ("You standardised the whole array at once (one mean, one std). Reduce "
                    f"along axis={axis} only.")
    return ""


def _one_case(fn, X, axis, number):
    label = f"standardize(X, axis={axis})"
    where = f"On test input #{number} (X: {describe(X)}, axis={axis})"
    original = X.copy()
    try:
        with np.errstate(all="ignore"):
            got = fn(X, axis=axis)
    except ValueError as exc:
        if "broadcast" in str(exc):
            fail(f"{where} your code raised a broadcasting error ({exc}). The mean along axis "
                 f"{axis} has lost that axis, so it no longer lines up with X: use "
                 "keepdims=True in mean() and std().")
        raise
    if not np.array_equal(X, original, equal_nan=True):
        fail(f"{where} your function changed its input X in place (for example with `X -= "
             "mean`). Compute a new array and leave X as it was.")
    expect_type(label, got, np.ndarray, "NumPy array")
    expect_shape(label, got, X.shape)
    bad = ~np.isfinite(got)
    if bad.any():
        std = X.std(axis=axis, keepdims=True)
        if (std == 0).any():
            fail(f"{where} the result has {int(bad.sum())} NaN/inf value(s): X has a constant "
                 f"slice along axis {axis} (its standard deviation is 0), and you divided by "
                 "it. That is what eps is for: divide by (std + eps).")
        fail(f"{where} the result has {int(bad.sum())} NaN/inf value(s).")
    expected = _standardize(X, axis)
    if not np.allclose(got, expected, rtol=RTOL, atol=ATOL):
        reason = _diagnose(got, X, axis)
        if reason:
            fail(f"{where} the values are wrong. {reason}")
        try:
            expect_close(label, got, expected, rtol=RTOL, atol=ATOL)
        except CheckFailed as exc:
            fail(f"{where} {exc.message}")


def check(learner, ctx):
    fn = require_function(learner, "standardize")
    rng = ctx.rng(1)
    loc = rng.uniform(-20, 20, size=4)
    scale = rng.uniform(0.1, 10, size=4)
    cases = [
        (rng.normal(loc, scale, size=(50, 4)), 0),
        (rng.normal(3.0, 2.0, size=(6, 6)), 1),        # square: no keepdims goes unnoticed
        (rng.normal(-1.0, 4.0, size=(7, 5)), 1),
        (rng.normal(0.0, 1.0, size=(3, 4, 5)) * rng.uniform(1, 9, size=(1, 4, 1)), 1),
        (rng.normal(5.0, 0.5, size=(4, 6)), -1),
        (rng.normal(2.0, 3.0, size=(5, 4, 3)), 0),
    ]
    constant = rng.normal(0, 1, size=(30, 3))
    constant[:, 1] = 2.5                                 # a constant feature
    cases.append((constant, 0))
    for number, (X, axis) in enumerate(cases, start=1):
        _one_case(fn, X, axis, number)
