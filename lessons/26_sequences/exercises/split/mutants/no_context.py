"""Mutant: cuts the SERIES into three periods and windows each one separately, so the first
`window` days of the validation and test periods are never forecast."""

import torch


def make_windows(series, window, horizon=1):
    s = torch.as_tensor(series, dtype=torch.float32)
    n = len(s) - window - horizon + 1
    return s.unfold(0, window, 1)[:n], s[window + horizon - 1:]


def chrono_split(series, window, n_valid, n_test):
    s = torch.as_tensor(series, dtype=torch.float32)
    end_train = len(s) - n_valid - n_test
    end_valid = len(s) - n_test
    return (make_windows(s[:end_train], window),
            make_windows(s[end_train:end_valid], window),
            make_windows(s[end_valid:], window))
