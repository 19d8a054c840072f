# Mistake: torch.tensor(x) copies the NumPy data, so the windows no longer follow x.
import torch


def windows(x, size, step):
    return torch.tensor(x).unfold(0, size, step)
