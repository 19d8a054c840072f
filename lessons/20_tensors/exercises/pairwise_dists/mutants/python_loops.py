# Mistake: a double loop in Python (slow, and torch.tensor of Python floats is float32).
import torch


def pairwise_sq_dists(X, Y):
    rows = [[float(((x - y) ** 2).sum()) for y in Y] for x in X]
    return torch.tensor(rows)
