"""Check windows(x, size, step): a torch view over a NumPy array, shape, values, dtype,
and that it shares memory with x (writing into x must show in the result).
"""

import numpy as np

from homl_tui.checks import (
    CheckFailed,
    as_array,
    describe,
    expect_close,
    expect_type,
    fail,
    require_function,
)


def _one_case(fn, x, size, step, number):
    import torch

    label = f"windows(x, size={size}, step={step})"
    where = f"On test input #{number} (x: {describe(x)}, size={size}, step={step})"
    original = x.copy()
    expected_rows = (len(x) - size) // step + 1
    got = fn(x, size, step)
    try:
        if not np.array_equal(x, original):
            fail("your function changed x. Leave its values as they were.")
        expect_type(label, got, torch.Tensor, "torch.Tensor (use torch.from_numpy)")
        shape = tuple(got.shape)
        if len(shape) != 2:
            fail(f"`{label}` has shape {shape}: it should have 2 dimensions "
                 "(number of windows, size).")
        if shape[1] != size:
            fail(f"`{label}` has shape {shape}: each row (axis 1) should hold one window of "
                 f"{size} values.")
        if shape[0] != expected_rows:
            fail(f"`{label}` has shape {shape}: the number of windows (axis 0) is "
                 f"{'too small' if shape[0] < expected_rows else 'too large'}. Windows start "
                 "at 0, step, 2*step, ... and every window that fits entirely "
                 f"(start + {size} <= {len(x)}) counts, including the last one.")
        want = str(x.dtype)
        have = str(got.dtype).replace("torch.", "")
        if have != want:
            fail(f"`{label}` has dtype {have}, but x is {want}: keep the dtype (a view "
                 "never changes it; a conversion makes a copy).")
        starts = np.arange(expected_rows) * step
        expected = x[starts[:, None] + np.arange(size)[None, :]]
        expect_close(label, as_array(got), expected, rtol=0, atol=0)
        # The real test of a view: write into x and look at the result.
        marker = x.dtype.type(-12345)
        x[0] = marker
        seen = as_array(got)
        if seen[0, 0] != marker:
            x[:] = original
            fail(f"`{label}` is a copy, not a view: after writing into x, the result still "
                 "holds the old values. torch.tensor(...) and torch.stack(...) copy; "
                 "torch.from_numpy(...) shares the NumPy buffer, and slicing or .unfold() "
                 "gives views of it.")
        x[:] = original
    except CheckFailed as exc:
        fail(f"{where}: {exc.message}")


def check(learner, ctx):
    fn = require_function(learner, "windows")
    rng = ctx.rng(1)
    cases = [
        (np.arange(10.0), 4, 3),
        (rng.normal(size=50), 8, 2),
        (rng.normal(size=37).astype(np.float32), 5, 5),
        (rng.integers(-100, 100, size=30), 7, 4),
        (rng.normal(size=12), 12, 1),
        (rng.normal(size=9), 1, 1),
    ]
    for number, (x, size, step) in enumerate(cases, start=1):
        _one_case(fn, x, size, step, number)
