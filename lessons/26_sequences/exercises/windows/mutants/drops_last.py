"""Mutant: counts one pair too few, so the window whose target is the last day is lost."""

import torch


def make_windows(series, window, horizon=1):
    s = torch.as_tensor(series, dtype=torch.float32)
    n = len(s) - window - horizon
    X = s.unfold(0, window, 1)[:n]
    y = s[window + horizon - 1:][:n]
    return X, y
