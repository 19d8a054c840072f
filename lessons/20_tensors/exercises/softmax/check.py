"""Check softmax(z, axis) on seeded random inputs, then on inputs around +1000 and -1000.

Ordered so the first failure names the mistake: ordinary inputs of 1 to 3 dimensions and
several axes first (wrong axis, missing keepdims), then extreme inputs (overflow in exp,
subtracting the maximum of the whole array instead of each slice's).
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

RTOL, ATOL = 1e-6, 1e-9


def _softmax(z, axis, keepdims=True, shift="slice"):
    with np.errstate(all="ignore"):
        if shift == "slice":
            m = z.max(axis=axis, keepdims=keepdims)
        elif shift == "global":
            m = z.max()
        else:
            m = 0.0
        e = np.exp(z - m)
        return e / e.sum(axis=axis, keepdims=keepdims)


def _same_pattern(a, b):
    return a.shape == b.shape and np.array_equal(~np.isfinite(a), ~np.isfinite(b))


def _nonfinite(where, got, z, axis):
    bad = ~np.isfinite(got)
    count = int(bad.sum())
    first = tuple(int(i) for i in np.argwhere(bad)[0])
    head = f"{where} the result has {count} NaN/inf value(s) (first at index {first})."
    if _same_pattern(got, _softmax(z, axis, shift="global")) and not _same_pattern(
            got, _softmax(z, axis, shift="none")):
        fail(f"{head} You subtracted the maximum of the whole array: slices whose values are "
             "far below that maximum underflow (exp of a very negative number is 0.0) "
             "and divide 0 by 0. Subtract the maximum of each slice along the axis (keepdims=True).")
    with np.errstate(all="ignore"):
        raw = np.exp(z)
    if np.isinf(raw).any():
        fail(f"{head} exp overflowed: in float64, exp(x) is inf for x above about 709, and "
             "inf / inf is NaN. Subtract the maximum along the axis before exponentiating.")
    if (raw.sum(axis=axis) == 0).any():
        fail(f"{head} exp underflowed: exp(-1000) is 0.0, so a whole slice became 0 / 0. "
             "Subtract the maximum along the axis before exponentiating (this also prevents "
             "overflow).")
    fail(f"{head} Look for exp of a large number or a division by zero.")


def _wrong_values(where, label, got, z, axis):
    expected = _softmax(z, axis)
    if np.allclose(got, expected, rtol=RTOL, atol=ATOL):
        return
    ax = axis % z.ndim
    sums = got.sum(axis=ax)
    if not np.allclose(sums, 1.0, atol=1e-6):
        if np.isclose(got.sum(), 1.0, atol=1e-6):
            fail(f"{where} the entries sum to 1 over the whole array, not along axis={axis}: "
                 "sum along the axis only (with keepdims=True).")
        for other in range(z.ndim):
            if other != ax and np.allclose(got.sum(axis=other), 1.0, atol=1e-6):
                fail(f"{where} your probabilities sum to 1 along axis {other}, not along "
                     f"axis={axis}: pass `axis` to max() and sum().")
    try:
        if z.ndim > 1 and np.allclose(got, _softmax(z, axis, keepdims=False)):
            fail(f"{where} the max and the sum you computed lost the reduced axis, so they "
                 "were broadcast against the wrong axis of z (this input is square, so no "
                 "error was raised). Use keepdims=True in max() and sum().")
    except ValueError:
        pass
    expect_close(label, got, expected, rtol=RTOL, atol=ATOL)


def _one_case(fn, z, axis, number):
    label = f"softmax(z, axis={axis})"
    where = f"On test input #{number} (z: {describe(z)}, values from {z.min():.4g} to " \
            f"{z.max():.4g}, axis={axis})"
    try:
        with np.errstate(all="ignore"):
            got = fn(z.copy(), axis=axis)
    except ValueError as exc:
        if "broadcast" in str(exc):
            fail(f"{where} your code raised a broadcasting error ({exc}). A reduction along "
                 "the axis drops that axis, so the result no longer lines up with z: use "
                 "keepdims=True in max() and sum().")
        raise
    expect_type(label, got, np.ndarray, "NumPy array")
    try:
        expect_shape(label, got, z.shape)
        if not np.isfinite(got).all():
            _nonfinite(where, got, z, axis)
        _wrong_values(where, label, got, z, axis)
    except CheckFailed as exc:
        if exc.message.startswith("On test input"):
            raise
        fail(f"{where} {exc.message}")


def check(learner, ctx):
    fn = require_function(learner, "softmax")
    rng = ctx.rng(1)
    cases = [
        (rng.normal(0, 3, size=7), -1),
        (rng.normal(0, 2, size=(4, 5)), -1),
        (rng.normal(0, 2, size=(6, 6)), -1),      # square: a missing keepdims goes unnoticed
        (rng.normal(1, 2, size=(5, 3)), 0),
        (rng.normal(0, 2, size=(2, 3, 4)), 1),
        (1000 + rng.normal(0, 2, size=(3, 5)), -1),       # overflow territory
        (-1000 + rng.normal(0, 2, size=(3, 5)), -1),      # underflow territory
        (np.array([1000.0, -1000.0, 0.0])[:, None] + rng.normal(0, 2, size=(3, 4)), -1),
        (np.full((2, 3), 1000.0), -1),                     # ties at the top
    ]
    for number, (z, axis) in enumerate(cases, start=1):
        _one_case(fn, z, axis, number)
    logits = np.array([2.0, 1.0, 0.1, -1.0, 3.0])
    ctx.report.plot("your softmax of [2, 1, 0.1, -1, 3]", fn(logits),
                    [f"class {i}" for i in range(5)], kind="bar")
