"""Mutant: counts the horizon from the window's last index, so with horizon 1 the target is
the window's own last value (the answer leaks into the inputs)."""

import torch


def make_windows(series, window, horizon=1):
    s = torch.as_tensor(series, dtype=torch.float32)
    n = len(s) - window - horizon + 1
    X = s.unfold(0, window, 1)[:n]
    y = s[window + horizon - 2:][:n]
    return X, y
