"""Mutant: the mean of the signed errors, where over- and under-forecasts cancel out."""

import torch


def seasonal_naive(series, lag, start):
    s = torch.as_tensor(series, dtype=torch.float32)
    return s[start - lag:len(s) - lag]


def mae(y_true, y_pred):
    y_true = torch.as_tensor(y_true, dtype=torch.float32)
    y_pred = torch.as_tensor(y_pred, dtype=torch.float32)
    return (y_pred - y_true).mean().item()
