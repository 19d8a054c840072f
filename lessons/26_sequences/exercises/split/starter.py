"""A chronological split: train on the past, validate and test on what comes after.

With a series of 10 days (0..9), window 3, n_valid 2 and n_test 2, the one-step targets are
    training:    days 3, 4, 5
    validation:  days 6, 7
    test:        days 8, 9
and every window holds the 3 days right before its target: the first test window is
days 5, 6, 7, which reaches back into the validation period. That is fine: on day 8 you
would know the days before it.
"""

import numpy as np
import torch

from homl_tui import report

# ---- Done for you: the series and your make_windows from the first exercise. ----

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


def make_windows(series, window, horizon=1):
    s = torch.as_tensor(series, dtype=torch.float32)
    n = len(s) - window - horizon + 1
    return s.unfold(0, window, 1)[:n], s[window + horizon - 1:]


# ---- The split: your part. ----

def chrono_split(series, window, n_valid, n_test):
    """Return (train, valid, test), each a pair (X, y) of one-step windows (horizon 1):

    - test: the windows whose targets are the last n_test days of the series;
    - valid: the windows whose targets are the n_valid days before those;
    - train: every earlier window.
    Every day from day `window` on is the target of exactly one window, in time order.
    """
    # TODO 1: build all the windows at once with make_windows(series, window).
    # TODO 2: count the training windows: all of them minus n_valid minus n_test.
    # TODO 3: slice X and y into three consecutive blocks, in time order. No shuffling:
    #         the model must never train on days that come after the ones it is scored on.
    raise NotImplementedError("chrono_split: fill in the TODOs")


if __name__ == "__main__":
    series = make_ridership()
    window, n_valid, n_test = 21, 120, 182
    train, valid, test = chrono_split(series, window, n_valid, n_test)
    for name, (X, y) in (("train", train), ("valid", valid), ("test", test)):
        print(f"{name:5s}: X {tuple(X.shape)}  y {tuple(y.shape)}")
    first_valid = len(series) - n_test - n_valid
    print(f"validation targets: days {first_valid} .. {first_valid + n_valid - 1}")
    print("the first validation window reaches back to day", first_valid - window)

    days = np.arange(len(series))
    t_train = days[window:window + len(train[1])]
    t_valid = days[first_valid:first_valid + n_valid]
    t_test = days[len(series) - n_test:]
    report.plot("split", train[1], t_train, kind="line", xlabel="day",
                ylabel="riders (millions)", title="Targets of the three sets, in time order",
                overlay={"valid": (t_valid, valid[1]), "test": (t_test, test[1])})
