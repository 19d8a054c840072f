# Mistake: slices are views, but torch.stack copies them into a new tensor.
import torch


def windows(x, size, step):
    t = torch.from_numpy(x)
    return torch.stack([t[start:start + size] for start in range(0, len(x) - size + 1, step)])
