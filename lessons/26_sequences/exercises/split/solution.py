"""A chronological split: train on the past, validate and test on what comes after."""

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


# ---- The split. ----

def chrono_split(series, window, n_valid, n_test):
    """One-step windows split in time: the last n_test targets are the test set, the n_valid
    before them the validation set, everything earlier the training set."""
    X, y = make_windows(series, window, horizon=1)
    n_train = len(X) - n_valid - n_test
    train = (X[:n_train], y[:n_train])
    valid = (X[n_train:n_train + n_valid], y[n_train:n_train + n_valid])
    test = (X[n_train + n_valid:], y[n_train + n_valid:])
    return train, valid, test


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
