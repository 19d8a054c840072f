"""He and Glorot initialisation by hand, and what they do to a deep stack of layers.

A layer's weights should start with a spread that keeps the signal's variance roughly the
same from one layer to the next:

    Glorot (Xavier), for tanh / sigmoid / no activation:   Var(w) = 2 / (fan_in + fan_out)
    He (Kaiming), for ReLU and its cousins:                Var(w) = 2 / fan_in

fan_in is the number of inputs of the layer, fan_out its number of outputs.
Press Run to push a batch through 50 layers with each scheme and compare the spreads.
"""

import math

import torch
from torch import nn

from homl_tui import report


def init_std(fan_in, fan_out, scheme):
    """The standard deviation of the weights for `scheme` ("glorot" or "he")."""
    # TODO 1: return the STANDARD DEVIATION for each scheme (the formulas above give the
    #         variance). Raise ValueError for any other scheme name.
    raise NotImplementedError("init_std: fill in the TODO")


def init_linear_(layer, scheme, generator=None):
    """Fill an nn.Linear in place: weights ~ Normal(0, init_std), biases 0. Return the layer."""
    # TODO 2: read fan_in and fan_out from the layer (mind how nn.Linear stores its weight).
    # TODO 3: inside torch.no_grad(), overwrite layer.weight in place with normal values of
    #         that std, drawn from `generator`, and set the bias (if any) to zero.
    raise NotImplementedError("init_linear_: fill in the TODOs")


def activation_stds(layers, activation, x):
    """Push x through every layer followed by `activation`; return the std after each one."""
    # TODO 4: without recording gradients, for every layer: x = activation(layer(x)), and
    #         append the standard deviation of x (a Python float) to a list. Return the list.
    raise NotImplementedError("activation_stds: fill in the TODO")


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
