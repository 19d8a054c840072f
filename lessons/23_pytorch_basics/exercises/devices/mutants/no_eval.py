"""Mutant: forgets model.eval(), so dropout stays on while predicting.

Predictions on any device: move the model and the batch, compute, bring the result back."""

import time

import numpy as np
import torch
from torch import nn

from homl_tui import report
from homl_tui.runtime.device import default_device


def predict(model, X, device=None):
    """The model's outputs for the rows of X, as a float32 tensor on the CPU.

    device: where to compute ("cpu", "cuda", "mps"); None means default_device().
    """
    if device is None:
        device = default_device()
    X = torch.as_tensor(X, dtype=torch.float32).to(device)
    model.to(device)
    with torch.no_grad():
        out = model(X)
    return out.cpu()


if __name__ == "__main__":
    device = default_device()
    print("default device:", device)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(20, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 3))
    X = np.random.default_rng(0).normal(size=(2000, 20))  # float64, as NumPy makes it
    print("X:", X.dtype, X.shape, " parameters:", next(model.parameters()).dtype)

    out = predict(model, X, device)
    print("output:", out.dtype, tuple(out.shape), "on", out.device,
          " requires_grad:", out.requires_grad)
    print("same result twice (dropout off?):", torch.equal(out, predict(model, X, device)))

    times = []
    for _ in range(5):
        start = time.perf_counter()
        predict(model, X, device)
        times.append(1000 * (time.perf_counter() - start))
    print("milliseconds per call:", [round(t, 2) for t in times], "(the first pays set-up costs)")
    report.plot("timing", times, [f"call {i + 1}" for i in range(5)], kind="bar",
                title=f"predict on {device}: milliseconds per call")
