"""From a series to supervised pairs: sliding windows and a forecast horizon.

make_windows([10, 11, 12, 13, 14, 15], window=3, horizon=1)
    X = [[10, 11, 12],        y = [13,
         [11, 12, 13],             14,
         [12, 13, 14]]             15]

With horizon=2 each target is the value two steps after the window's last value:
    X = [[10, 11, 12],        y = [14,
         [11, 12, 13]]             15]
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


# ---- Windows and targets: your part. ----

def make_windows(series, window, horizon=1):
    """series: a 1-D NumPy array or tensor. Return (X, y), two float32 tensors:

    X has shape (n, window): row i holds series[i], ..., series[i + window - 1];
    y has shape (n,): y[i] is the value `horizon` steps after the last value of row i.
    n counts every window whose target still lies inside the series.
    """
    # TODO 1: turn series into a float32 tensor (torch.as_tensor(..., dtype=torch.float32)).
    # TODO 2: count the pairs n. The last one must have its target on the last day.
    # TODO 3: X: the first n windows of length `window` (slices, torch.stack, or Tensor.unfold).
    # TODO 4: y: which index holds the target of row 0? The targets of the next rows follow it.
    raise NotImplementedError("make_windows: fill in the TODOs")


if __name__ == "__main__":
    series = make_ridership()
    X, y = make_windows(series, window=14, horizon=1)
    print(f"series: {len(series)} days -> X {tuple(X.shape)}, y {tuple(y.shape)}")
    print("first window (2 weeks):", [round(v, 2) for v in X[0].tolist()])
    print(f"its target (day 14): {y[0].item():.2f}")
    X7, y7 = make_windows(series, window=14, horizon=7)
    print(f"horizon 7: X {tuple(X7.shape)}; the first target is day {14 + 7 - 1}")

    days = np.arange(len(series))
    report.plot("ridership", series, days, kind="line", xlabel="day",
                ylabel="riders (millions)", title="Three years of daily riders")
    k = 100  # one window (class 0) and its targets at horizon 1 (class 1) and 7 (class 2)
    report.plot("one window", torch.cat([X[k], y[k:k + 1], y7[k:k + 1]]),
                np.r_[np.arange(k, k + 14), k + 14, k + 20], kind="scatter",
                labels=[0] * 14 + [1, 2], xlabel="day",
                title="A 14-day window (0) and its targets at horizon 1 (1) and 7 (2)")
