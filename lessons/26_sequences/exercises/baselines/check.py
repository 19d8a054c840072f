"""Check seasonal_naive(series, lag, start) and mae(y_true, y_pred).

seasonal_naive first gets a series whose value on day t is t, so each forecast says which day
it was copied from: a lag off by one, or forecasts that start in the training period, are
named exactly. mae is compared with the formula on seeded random vectors (NumPy and torch),
with diagnoses for signed errors that cancel, squared errors and sums.
"""

import numpy as np
import torch

from homl_tui.checks import as_array, expect_close, fail, require_function

DAY_CASES = [(50, 7, 20), (50, 1, 30), (40, 7, 7), (60, 14, 45), (12, 3, 11)]


def _forecasts(fn, series, lag, start):
    out = fn(series, lag, start)
    if out is None:
        fail("`seasonal_naive` returned None: did you forget to `return` the forecasts?")
    try:
        got = as_array(out).astype(np.float64)
    except (TypeError, ValueError):
        fail(f"`seasonal_naive` returned a {type(out).__name__}; return a 1-D tensor.")
    if got.ndim != 1:
        fail(f"`seasonal_naive` returned shape {got.shape}; return a 1-D tensor, one forecast "
             "per day.")
    return got


def _check_naive(fn):
    for length, lag, start in DAY_CASES:
        series = torch.arange(length, dtype=torch.float32)
        got = _forecasts(fn, series.clone(), lag, start)
        where = f"For a series of {length} days with lag={lag}, start={start}"
        n = length - start
        if len(got) > n:
            fail(f"{where}, you returned {len(got)} forecasts, more than there are days from "
                 "`start` to the end: it looks like you also forecast days before `start`, in "
                 "the training period (series[:-lag] does that). A baseline must be scored on "
                 "the same held-out days as the model, so forecast only days t >= start.")
        if len(got) < n:
            fail(f"{where}, you returned {len(got)} forecasts: too few. There should be one "
                 "for every day from `start` to the last day, included.")
        days = np.arange(start, length)
        offset = got - days  # which day each forecast was copied from, relative to its day
        if not np.all(offset == offset[0]):
            fail(f"{where}, the forecasts are not copies of the series shifted by a constant "
                 "lag.")
        offset = offset[0]
        shift = f"t - {-offset:g}" if offset < 0 else f"t + {offset:g}"
        if offset == -lag:
            continue
        if offset in (-lag + 1, -lag - 1):
            fail(f"{where}, day t is forecast by day {shift} instead of day t - lag: "
                 "the slice is off by one. Check where it starts and where it stops.")
        if offset >= 0:
            fail(f"{where}, day t is forecast by day {shift}: a forecast cannot copy a "
                 "value from the same day or later.")
        fail(f"{where}, day t is forecast by day {shift}, not by day t - lag.")


def _check_mae(fn, ctx):
    rng = ctx.rng(1)
    for number in range(1, 5):
        n = int(rng.integers(5, 40))
        y_true = rng.normal(size=n)
        y_pred = y_true + rng.normal(scale=0.5, size=n) + (0.1 if number % 2 else -0.1)
        if number > 2:
            y_true, y_pred = torch.from_numpy(y_true).float(), torch.from_numpy(y_pred).float()
        got = fn(y_true, y_pred)
        if isinstance(got, torch.Tensor):
            if got.numel() != 1:
                fail(f"`mae` returned a tensor of shape {tuple(got.shape)}; return one number.")
            got = got.item()
        if not isinstance(got, (float, int, np.floating)):
            fail(f"`mae` returned a {type(got).__name__}; return one number (use .item()).")
        err = as_array(y_pred).astype(np.float64) - as_array(y_true).astype(np.float64)
        want = float(np.abs(err).mean())
        where = f"On random test vectors #{number} (length {n})"

        def near(value, got=got):
            return abs(got - value) <= 1e-5 * max(1.0, abs(value))

        if near(want):
            continue
        if near(err.mean()) or near(-err.mean()):
            fail(f"{where}, `mae` looks like the mean of the signed errors: over- and "
                 "under-forecasts cancel out, so a terrible forecast can score close to 0. "
                 "Take the absolute value of each error before averaging.")
        if near(float((err ** 2).mean())):
            fail(f"{where}, `mae` returned the mean of the squared errors (the MSE): the MAE "
                 "averages absolute errors.")
        if near(float(np.abs(err).sum())):
            fail(f"{where}, `mae` returned the sum of the absolute errors: average them, so "
                 "the score does not grow with the number of days.")
        expect_close("mae(...)", got, want, rtol=1e-5, atol=1e-6)


def check(learner, ctx):
    _check_naive(require_function(learner, "seasonal_naive"))
    _check_mae(require_function(learner, "mae"), ctx)
