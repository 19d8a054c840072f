"""Mutant: shuffles the windows before splitting, as one would for tabular data, so the
training set holds days that come after the validation and test days."""

import torch


def make_windows(series, window, horizon=1):
    s = torch.as_tensor(series, dtype=torch.float32)
    n = len(s) - window - horizon + 1
    return s.unfold(0, window, 1)[:n], s[window + horizon - 1:]


def chrono_split(series, window, n_valid, n_test):
    X, y = make_windows(series, window, horizon=1)
    order = torch.randperm(len(X))
    X, y = X[order], y[order]
    n_train = len(X) - n_valid - n_test
    return ((X[:n_train], y[:n_train]),
            (X[n_train:n_train + n_valid], y[n_train:n_train + n_valid]),
            (X[n_train + n_valid:], y[n_train + n_valid:]))
