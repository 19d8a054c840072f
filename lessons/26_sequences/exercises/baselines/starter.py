"""Baselines first: the naive and seasonal-naive forecasts, scored by their MAE.

seasonal_naive(series, lag=7, start=100) forecasts day 100 by day 93, day 101 by day 94, ...
and the last day of the series by the day a week before it. With lag=1 it is the plain
naive forecast: tomorrow will be like today.
"""

import numpy as np
import torch

from homl_tui import report

# ---- Done for you: the lesson's generated series. ----

def make_ridership(n_days=1096, seed=42):
    """Daily riders (in millions) for n_days, starting on a Monday: a weekly rhythm, slow
    growth, a yearly swing, six holidays a year and noise that lingers for days."""
    rng = np.random.default_rng(seed)
    t = np.arange(n_days)
    weekly = np.array([1.00, 1.03, 1.04, 1.03, 0.97, 0.62, 0.47])[t % 7]  # Mon ... Sun
    trend = 1.0 + 0.05 * t / 365.25
    yearly = 1.0 + 0.06 * np.sin(2 * np.pi * (t - 80) / 365.25)
    holiday = np.ones(n_days)
    for day_of_year in (0, 146, 184, 246, 329, 358):
        holiday[day_of_year::365] = 0.55
    noise = np.zeros(n_days)
    shocks = rng.normal(0.0, 0.02, n_days)
    for i in range(1, n_days):
        noise[i] = 0.85 * noise[i - 1] + shocks[i]
    return (0.8 * weekly * trend * yearly * holiday + noise).astype(np.float32)


# ---- Baselines: your part. ----

def seasonal_naive(series, lag, start):
    """Return a float32 tensor with one forecast per day t = start, start + 1, ..., last day:
    the forecast for day t is series[t - lag]. (start >= lag.)"""
    # TODO 1: convert series to a float32 tensor.
    # TODO 2: slice it: which index gives the forecast for day `start`? for the last day?
    #         Only the days from `start` on are forecast: they are the held-out period.
    raise NotImplementedError("seasonal_naive: fill in the TODOs")


def mae(y_true, y_pred):
    """Mean absolute error between two 1-D sequences of the same length, as a Python float."""
    # TODO 3: the mean of |y_pred - y_true|, returned with .item() (or float(...)).
    raise NotImplementedError("mae: fill in the TODOs")


if __name__ == "__main__":
    series = make_ridership()
    start = len(series) - 182 - 120  # the held-out period: validation + test days
    actual = torch.as_tensor(series[start:])
    print(f"scoring days {start} .. {len(series) - 1} ({len(actual)} days)")
    for name, lag in (("naive (yesterday)", 1), ("seasonal naive (a week ago)", 7),
                      ("two weeks ago", 14), ("same weekday last year", 364)):
        print(f"{name:30s} lag {lag:3d}: MAE = {mae(actual, seasonal_naive(series, lag, start)):.4f}")

    days = np.arange(start, len(series))[-28:]
    report.plot("baselines", actual[-28:], days, kind="line", xlabel="day",
                ylabel="riders (millions)", title="The last 4 weeks and two naive forecasts",
                overlay={"naive (lag 1)": (days, seasonal_naive(series, 1, start)[-28:]),
                         "seasonal naive (lag 7)": (days, seasonal_naive(series, 7, start)[-28:])})
