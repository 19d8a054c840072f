"""Sliding windows over a NumPy array, as a torch view that shares its memory.

windows(np.arange(10.0), size=4, step=3)  ->  tensor([[0., 1., 2., 3.],
                                                      [3., 4., 5., 6.],
                                                      [6., 7., 8., 9.]], dtype=torch.float64)

Windows like these feed 1-D convolutions and time-series models. Copying each one would
multiply the memory by size/step; a view only stores new strides over the same buffer.
"""

import numpy as np
import torch
from homl_tui import report


def windows(x, size, step):
    """x: 1-D NumPy array. Return a torch tensor of shape (num_windows, size), where row k is
    x[k*step : k*step + size], for every window that fits entirely inside x.

    The result must share memory with x (changing x changes it) and keep x's dtype.
    """
    # TODO 1: turn x into a tensor WITHOUT copying it (torch.tensor copies;
    #         one torch function wraps the NumPy buffer instead).
    # TODO 2: cut it into windows with a view, not a copy (look at Tensor.unfold).
    # TODO 3: return the windows.
    raise NotImplementedError("windows: fill in the TODOs")


if __name__ == "__main__":
    # Press Run: a noisy signal, cut into overlapping windows, smoothed by their means.
    t = np.linspace(0, 4 * np.pi, 200)
    signal = np.sin(t) + np.random.default_rng(0).normal(0, 0.3, size=t.shape)
    w = windows(signal, size=20, step=5)
    print("windows:", tuple(w.shape), w.dtype, "strides", w.stride())
    print("shares memory with the NumPy array:", w.untyped_storage().data_ptr()
          == torch.from_numpy(signal).untyped_storage().data_ptr())
    smooth = w.mean(dim=1)
    report.plot("noisy signal", signal, t)
    report.plot("mean of each window", smooth, t[10::5][: len(smooth)])
    signal[0] = 100.0
    print("after signal[0] = 100, w[0, 0] is", w[0, 0].item())
