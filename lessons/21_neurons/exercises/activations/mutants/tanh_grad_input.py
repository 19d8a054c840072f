"""Mutant: 1 - z**2 instead of 1 - tanh(z)**2.

Activation functions and their derivatives, written with exp and log, stable at +-1000."""

import torch

from homl_tui import report
from homl_tui.runtime.device import default_device


def sigmoid(z):
    """1 / (1 + exp(-z)), element-wise, without ever exponentiating a large positive number."""
    e = torch.exp(-z.abs())  # in (0, 1]: cannot overflow
    return torch.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_grad(z):
    """d sigmoid / dz = sigmoid(z) * (1 - sigmoid(z))."""
    s = sigmoid(z)
    return s * (1 - s)


def tanh_grad(z):
    """d tanh / dz = 1 - tanh(z) ** 2."""
    return 1 - z * z


def relu(z):
    """max(z, 0), element-wise, as a new tensor (z itself is left alone)."""
    return torch.where(z > 0, z, torch.zeros_like(z))


def relu_grad(z):
    """1 where z > 0, else 0 (at z = 0 exactly we use 0, as PyTorch does)."""
    return (z > 0).to(z.dtype)


def softplus(z):
    """log(1 + exp(z)) = max(z, 0) + log(1 + exp(-|z|)), which cannot overflow."""
    return relu(z) + torch.log1p(torch.exp(-z.abs()))


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
