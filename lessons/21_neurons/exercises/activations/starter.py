"""Activation functions and their derivatives, written with exp and log, stable at +-1000.

Write each one from torch.exp, torch.log1p, torch.tanh, torch.where and comparisons (not
with torch.sigmoid, torch.relu, F.softplus or autograd: those are what the check compares
you with). Every function works element-wise on a tensor z of any shape and returns a new
tensor of the same shape and dtype, without changing z.

Run this file to print the values at extreme inputs and plot the curves; Check to test them.
"""

import torch

from homl_tui import report
from homl_tui.runtime.device import default_device


def sigmoid(z):
    """1 / (1 + exp(-z)), element-wise, without ever exponentiating a large positive number."""
    # TODO 1: only ever exponentiate -|z| (never positive, so exp cannot overflow).
    #         Write sigmoid with e = exp(-|z|), once for z >= 0 and once for z < 0,
    #         and pick element by element with torch.where(condition, a, b).
    raise NotImplementedError("sigmoid: fill in the TODO")


def sigmoid_grad(z):
    """d sigmoid / dz = sigmoid(z) * (1 - sigmoid(z))."""
    # TODO 2: reuse your stable sigmoid.
    raise NotImplementedError("sigmoid_grad: fill in the TODO")


def tanh_grad(z):
    """d tanh / dz = 1 - tanh(z) ** 2."""
    # TODO 3: careful: tanh of z, squared (not z squared).
    raise NotImplementedError("tanh_grad: fill in the TODO")


def relu(z):
    """max(z, 0), element-wise, as a new tensor (z itself is left alone)."""
    # TODO 4: torch.where, or z.clamp(min=0). Do not write into z (no z[z < 0] = 0).
    raise NotImplementedError("relu: fill in the TODO")


def relu_grad(z):
    """1 where z > 0, else 0 (at z = 0 exactly we use 0, as PyTorch does)."""
    # TODO 5: a comparison, converted to z's dtype with .to(z.dtype).
    raise NotImplementedError("relu_grad: fill in the TODO")


def softplus(z):
    """log(1 + exp(z)) = max(z, 0) + log(1 + exp(-|z|)), which cannot overflow."""
    # TODO 6: the right-hand form; torch.log1p(x) computes log(1 + x) accurately.
    raise NotImplementedError("softplus: fill in the TODO")


if __name__ == "__main__":
    device = default_device()
    z = torch.linspace(-5, 5, 201, device=device)
    extremes = torch.tensor([-1000.0, -20.0, 0.0, 20.0, 1000.0], device=device)
    print("z           ", extremes.tolist())
    print("sigmoid     ", sigmoid(extremes).tolist())
    print("softplus    ", softplus(extremes).tolist())
    print("relu_grad   ", relu_grad(extremes).tolist())
    print("largest gap to torch.sigmoid on [-5, 5]:",
          (sigmoid(z) - torch.sigmoid(z)).abs().max().item())

    zc = z.cpu()
    report.plot("sigmoid", sigmoid(z).cpu(), zc, title="activation functions",
                overlay={"tanh": (zc, torch.tanh(z).cpu()), "ReLU": (zc, relu(z).cpu()),
                         "softplus": (zc, softplus(z).cpu())})
    report.plot("sigmoid'", sigmoid_grad(z).cpu(), zc,
                title="their derivatives (sigmoid's peaks at 0.25)",
                overlay={"tanh'": (zc, tanh_grad(z).cpu()), "ReLU'": (zc, relu_grad(z).cpu())})
