"""A dense layer written by hand as an nn.Module, then compared with nn.Linear.

Dense(in_features, out_features) computes  y = x @ W.T + b  for every row x of a batch, with
W of shape (out_features, in_features) and b of shape (out_features,): the same layout and the
same parameter names ("weight", "bias") as torch.nn.Linear, so that one layer's state_dict can
be loaded into the other.

Run this file to compare your layer with nn.Linear; Check to test it.
"""

import math

import torch
from torch import nn

from homl_tui import report


class Dense(nn.Module):
    """A fully connected layer: forward(x) = x @ weight.T + bias, x of shape (..., in_features)."""

    def __init__(self, in_features, out_features):
        super().__init__()  # always first: it sets up the bookkeeping that registers parameters
        self.in_features = in_features
        self.out_features = out_features
        # TODO 1: create self.weight, shape (out_features, in_features), and self.bias, shape
        #         (out_features,), as nn.Parameter objects (a plain tensor would NOT be
        #         registered: model.parameters() would not see it and no optimizer would train it).
        # TODO 2: start them at random, uniformly in [-k, k] with k = 1 / math.sqrt(in_features),
        #         like nn.Linear (torch.rand gives [0, 1): stretch and shift it).
        raise NotImplementedError("Dense.__init__: create the parameters")

    def forward(self, x):
        # TODO 3: return x @ W.T + b (broadcasting adds the bias to every row).
        raise NotImplementedError("Dense.forward: compute the output")


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
