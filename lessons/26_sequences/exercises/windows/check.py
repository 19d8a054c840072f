"""Check make_windows(series, window, horizon): shapes, dtype, which day lands where.

The first cases feed a series whose value on day t is t itself, so every number in X and y
says which day it came from: a target that sits inside its own window, a horizon one step
off, or a missing last window can be named exactly. Then random series (NumPy and torch,
float64 and float32) are compared with the reference, exactly.
"""

import numpy as np
import torch

from homl_tui.checks import CheckFailed, as_array, expect_close, fail, require_function

DAY_CASES = [(30, 5, 1), (40, 7, 1), (40, 7, 3), (25, 4, 6), (13, 12, 1)]


def _call(fn, series, window, horizon):
    out = fn(series, window, horizon)
    if not isinstance(out, tuple) or len(out) != 2:
        fail(f"`make_windows` should return a pair `X, y`; it returned a {type(out).__name__}.")
    X, y = out
    for name, value in (("X", X), ("y", y)):
        if not isinstance(value, torch.Tensor):
            fail(f"`{name}` is a {type(value).__name__}; return torch tensors.")
        if value.dtype != torch.float32:
            fail(f"`{name}` has dtype {str(value.dtype).replace('torch.', '')}; models train in "
                 "float32, so convert the series with torch.as_tensor(series, "
                 "dtype=torch.float32).")
    return X, y


def _day_case(fn, length, window, horizon):
    series = torch.arange(length, dtype=torch.float32)
    X, y = _call(fn, series.clone(), window, horizon)
    where = f"For a series of {length} days with window={window}, horizon={horizon}"
    n = length - window - horizon + 1
    if X.dim() != 2 or X.shape[1] != window:
        fail(f"{where}, X has shape {tuple(X.shape)}: it should be 2-D with one window of "
             f"{window} values per row.")
    if y.dim() != 1:
        fail(f"{where}, y has shape {tuple(y.shape)}: it should be 1-D, one target per row "
             "of X.")
    if len(X) != len(y):
        fail(f"{where}, X has {len(X)} rows but y has {len(y)} targets: they must pair up "
             "one to one.")
    if len(X) == 0:
        fail(f"{where}, X is empty.")
    days = torch.arange(window, dtype=torch.float32)
    starts = X[:, 0]
    if not torch.equal(X, starts[:, None] + days[None, :]):
        fail(f"{where}, some rows of X are not `window` consecutive values of the series.")
    if not torch.equal(starts, torch.arange(len(X), dtype=torch.float32)):
        fail(f"{where}, row i of X should start at series[i]: the windows slide by one step "
             "and the first one starts at the beginning of the series.")
    gap = (y - X[:, -1]).tolist()  # how many steps after the window's last value each target is
    if any(g != gap[0] for g in gap):
        fail(f"{where}, the targets are not all the same number of steps after their windows.")
    gap = gap[0]
    if gap <= 0:
        fail(f"{where}, each target is a value INSIDE its own window (the last one or "
             "earlier): the model would be shown the answer among its inputs, a leak. The "
             "target must come after the window.")
    if gap == horizon + 1:
        fail(f"{where}, each target is one step too far ahead. With horizon h the target is "
             "h steps after the window's last value: horizon 1 is the very next value.")
    if gap == horizon - 1:
        fail(f"{where}, each target is one step too early: with horizon h the target is h "
             "steps after the window's last value, not h - 1.")
    if gap != horizon:
        fail(f"{where}, each target is {gap:g} steps after the window's last value: with "
             f"horizon {horizon} that is not right. Does your code use `horizon`?")
    if len(X) < n:
        fail(f"{where}, there are {len(X)} pairs: too few. The last window should be the one "
             "whose target is the last value of the series; check your count.")
    if len(X) > n:
        fail(f"{where}, there are {len(X)} pairs: too many for targets to stay inside the "
             "series.")


def _random_cases(fn, reference, ctx):
    rng = ctx.rng(1)
    cases = [
        (rng.normal(size=60), 10, 1),
        (rng.normal(size=45).astype(np.float32), 6, 4),
        (torch.from_numpy(rng.normal(size=33)), 8, 2),
        (torch.from_numpy(rng.normal(size=20).astype(np.float32)), 18, 2),
    ]
    for number, (series, window, horizon) in enumerate(cases, start=1):
        kind = "tensor" if isinstance(series, torch.Tensor) else "NumPy array"
        copy = series.clone() if isinstance(series, torch.Tensor) else series.copy()
        X, y = _call(fn, copy, window, horizon)
        want_X, want_y = reference.make_windows(series, window, horizon)
        try:
            expect_close("X", X, want_X, rtol=1e-6, atol=1e-7)
            expect_close("y", y, want_y, rtol=1e-6, atol=1e-7)
        except CheckFailed as exc:
            fail(f"On random test series #{number} (a {series.dtype} {kind} of length "
                 f"{len(series)}, window={window}, horizon={horizon}): {exc.message}")
        if not np.array_equal(as_array(copy), as_array(series)):
            fail("`make_windows` changed the series it was given. Leave it as it was.")


def check(learner, ctx):
    fn = require_function(learner, "make_windows")
    for length, window, horizon in DAY_CASES:
        _day_case(fn, length, window, horizon)
    _random_cases(fn, ctx.reference, ctx)
