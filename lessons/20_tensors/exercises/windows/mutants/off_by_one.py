# Mistake: counts (len - size) // step windows, forgetting the window that starts at 0.
import torch


def windows(x, size, step):
    t = torch.from_numpy(x)
    count = (len(x) - size) // step
    return t.as_strided((count, size), (step * t.stride(0), t.stride(0)))
