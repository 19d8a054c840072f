"""Mutant: the target is `horizon` steps after the END of the window (one step too far)."""

import torch


def make_windows(series, window, horizon=1):
    s = torch.as_tensor(series, dtype=torch.float32)
    n = len(s) - window - horizon
    X = s.unfold(0, window, 1)[:n]
    y = s[window + horizon:]
    return X, y
