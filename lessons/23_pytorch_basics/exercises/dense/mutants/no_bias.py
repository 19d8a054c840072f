"""Mutant: the layer forgets its bias.

A dense layer written by hand as an nn.Module, then compared with nn.Linear."""

import math

import torch
from torch import nn

from homl_tui import report


class Dense(nn.Module):
    """A fully connected layer: forward(x) = x @ weight.T + bias, x of shape (..., in_features)."""

    def __init__(self, in_features, out_features):
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        k = 1 / math.sqrt(in_features)
        self.weight = nn.Parameter(torch.rand(out_features, in_features) * 2 * k - k)

    def forward(self, x):
        return x @ self.weight.T


if __name__ == "__main__":
    torch.manual_seed(0)
    dense, linear = Dense(4, 3), nn.Linear(4, 3)
    print("parameters:", [(name, tuple(p.shape)) for name, p in dense.named_parameters()])

    dense.load_state_dict(linear.state_dict())  # same names and shapes, so this just works
    x = torch.randn(5, 4)
    gap = (dense(x) - linear(x)).abs().max().item()
    print(f"largest difference from nn.Linear after copying its weights: {gap:.2e}")

    big = Dense(100, 50)
    k = 1 / math.sqrt(100)
    counts = torch.histc(big.weight.detach(), bins=10, min=-k, max=k)
    centres = [f"{-k + (i + 0.5) * k / 5:+.2f}" for i in range(10)]
    report.plot("initial weights", counts, centres,
                kind="bar", title="Dense(100, 50): histogram of the initial weights")
    print("initial weights between", round(big.weight.min().item(), 3), "and",
          round(big.weight.max().item(), 3), f"(k = {k:.3f})")
