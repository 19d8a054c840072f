"""Mutant: reads (fan_in, fan_out) from weight.shape, which is (out, in).

He and Glorot initialisation by hand, and what they do to a deep stack of layers.

A layer's weights should start with a spread that keeps the signal's variance roughly the
same from one layer to the next:

    Glorot (Xavier), for tanh / sigmoid / no activation:   Var(w) = 2 / (fan_in + fan_out)
    He (Kaiming), for ReLU and its cousins:                Var(w) = 2 / fan_in

fan_in is the number of inputs of the layer, fan_out its number of outputs.
"""

import math

import torch
from torch import nn

from homl_tui import report


def init_std(fan_in, fan_out, scheme):
    """The standard deviation of the weights for `scheme` ("glorot" or "he")."""
    if scheme == "glorot":
        return math.sqrt(2.0 / (fan_in + fan_out))
    if scheme == "he":
        return math.sqrt(2.0 / fan_in)
    raise ValueError(f"unknown scheme {scheme!r}: use 'glorot' or 'he'")


def init_linear_(layer, scheme, generator=None):
    """Fill an nn.Linear in place: weights ~ Normal(0, init_std), biases 0. Return the layer."""
    fan_in, fan_out = layer.weight.shape
    std = init_std(fan_in, fan_out, scheme)
    with torch.no_grad():
        layer.weight.normal_(0.0, std, generator=generator)
        if layer.bias is not None:
            layer.bias.zero_()
    return layer


def activation_stds(layers, activation, x):
    """Push x through every layer followed by `activation`; return the std after each one."""
    stds = []
    with torch.no_grad():
        for layer in layers:
            x = activation(layer(x))
            stds.append(x.std().item())
    return stds


def deep_stack(depth, width, scheme, generator):
    """`depth` square Linear layers of size `width`, initialised with your init_linear_."""
    return [init_linear_(nn.Linear(width, width), scheme, generator) for _ in range(depth)]


if __name__ == "__main__":
    g = torch.Generator().manual_seed(0)
    depth, width = 50, 256
    x = torch.randn(1000, width, generator=g)
    runs = {
        "He + ReLU": ("he", torch.relu),
        "Glorot + ReLU": ("glorot", torch.relu),
        "Glorot + tanh": ("glorot", torch.tanh),
    }
    curves = {}
    for name, (scheme, act) in runs.items():
        stds = activation_stds(deep_stack(depth, width, scheme, g), act, x)
        curves[name] = [math.log10(max(s, 1e-30)) for s in stds]
        print(f"{name:14s} std after layer 1: {stds[0]:.3g}   after layer {depth}: {stds[-1]:.3g}")
    layers = list(range(1, depth + 1))
    first, *others = curves
    report.plot("activation spread", curves[first], layers, kind="line",
                overlay={name: (layers, curves[name]) for name in others},
                title=f"log10(std of the activations), {first} and others",
                xlabel="layer", ylabel="log10 std")
