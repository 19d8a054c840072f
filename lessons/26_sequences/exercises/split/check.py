"""Check chrono_split(series, window, n_valid, n_test): three sets of one-step windows, in time
order, every day from `window` on forecast exactly once, no target of a later set trained on.

The first cases feed a series whose value on day t is t, so each target says which day it
is: the check can tell a shuffled split (training days after validation days), a day
forecast twice, or held-out days that are never forecast. A random series is then compared
with the reference. The split is deterministic, so are the checks; torch's global generator
is reseeded first so that a shuffled split fails the same way every time.
"""

import numpy as np
import torch

from homl_tui.checks import CheckFailed, expect_close, fail, require_function

DAY_CASES = [(60, 7, 10, 12), (40, 5, 6, 4), (30, 3, 1, 1)]
NAMES = ("training", "validation", "test")


def _pairs(out):
    if not isinstance(out, (tuple, list)) or len(out) != 3:
        fail("`chrono_split` should return three pairs: (X_train, y_train), "
             "(X_valid, y_valid), (X_test, y_test).")
    pairs = []
    for name, pair in zip(NAMES, out, strict=True):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            fail(f"The {name} set should be a pair (X, y).")
        X, y = pair
        for label, value in (("X", X), ("y", y)):
            if not isinstance(value, torch.Tensor):
                fail(f"{label} of the {name} set is a {type(value).__name__}; return tensors.")
        if X.dim() != 2 or y.dim() != 1 or len(X) != len(y):
            fail(f"The {name} set has X of shape {tuple(X.shape)} and y of shape "
                 f"{tuple(y.shape)}: X should be (n, window) and y (n,), with as many "
                 "targets as windows.")
        pairs.append((X, y))
    return pairs


def _day_case(fn, length, window, n_valid, n_test):
    series = torch.arange(length, dtype=torch.float32)
    where = (f"For a series of {length} days with window={window}, n_valid={n_valid}, "
             f"n_test={n_test}")
    pairs = _pairs(fn(series.clone(), window, n_valid, n_test))
    for name, (X, y) in zip(NAMES, pairs, strict=True):
        if X.shape[1] != window:
            fail(f"{where}, the {name} windows have {X.shape[1]} values each, not {window}.")
        before = y[:, None] - torch.arange(window, 0, -1, dtype=torch.float32)[None, :]
        if not torch.equal(X, before):
            fail(f"{where}, some {name} windows do not hold the {window} days right before "
                 "their target.")
    days = [y.tolist() for _, y in pairs]
    seen = {}
    for name, targets in zip(NAMES, days, strict=True):
        for d in targets:
            if d in seen:
                other = seen[d]
                both = (f"both the {other} and the {name} windows" if other != name
                        else f"two {name} windows")
                fail(f"{where}, day {d:g} is a forecast target in {both}: a day that is "
                     "trained on (or scored twice) makes the held-out score too kind. Each "
                     "day must be the target of exactly one window.")
            seen[d] = name
    for (early, a), (late, b) in ((("training", days[0]), ("validation", days[1])),
                                  (("validation", days[1]), ("test", days[2])),
                                  (("training", days[0]), ("test", days[2]))):
        if a and b and max(a) > min(b):
            fail(f"{where}, some {early} targets come after {late} targets: the split is not "
                 f"chronological (were the windows shuffled?). A model trained this way has "
                 "seen the future it is scored on, so its held-out score is a lie. Keep the "
                 "windows in time order and cut them into three consecutive blocks.")
    for name, targets in zip(NAMES, days, strict=True):
        if targets != sorted(targets):
            fail(f"{where}, the {name} windows are not in time order.")
    all_days = set(range(window, length))
    missing = sorted(all_days - set(seen))
    if missing:
        first = missing[0]
        period = ("training" if first < length - n_valid - n_test
                  else "validation" if first < length - n_test else "test")
        fail(f"{where}, {len(missing)} day(s) are never forecast, starting in the {period} "
             "period. If you cut the series into periods and windowed each one, every period "
             "after the first lost its first days as targets: give each held-out period the "
             "`window` days before it as context (or window the whole series, then cut the "
             "windows).")
    if len(days[2]) != n_test or len(days[1]) != n_valid:
        fail(f"{where}, the validation and test sets have {len(days[1])} and {len(days[2])} "
             "windows: they should have n_valid and n_test.")


def check(learner, ctx):
    fn = require_function(learner, "chrono_split")
    ctx.reseed()
    for case in DAY_CASES:
        _day_case(fn, *case)
    rng = ctx.rng(1)
    series = rng.normal(size=80)
    given = series.copy()
    got = _pairs(fn(given, 9, 15, 20))
    if not np.array_equal(given, series):
        fail("`chrono_split` changed the series it was given. Leave it as it was.")
    want = ctx.reference.chrono_split(series, 9, 15, 20)
    for name, (X, y), (wX, wy) in zip(NAMES, got, want, strict=True):
        try:
            expect_close("X", X, wX, rtol=1e-6, atol=1e-7)
            expect_close("y", y, wy, rtol=1e-6, atol=1e-7)
        except CheckFailed as exc:
            fail(f"On a random float64 NumPy series of 80 values (window=9, n_valid=15, "
                 f"n_test=20), the {name} set: {exc.message}")
        if X.dtype != torch.float32:
            fail(f"The {name} windows have dtype {X.dtype}; keep make_windows' float32.")
