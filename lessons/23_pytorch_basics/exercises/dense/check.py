"""Check Dense: registered parameters named like nn.Linear's, their layout, their random start,
and outputs and gradients equal to nn.Linear's once its state_dict is loaded.

Initialisation bounds: weights of Dense(300, 200) (60,000 draws, uniform in [-k, k]) have a
standard deviation of k / sqrt(3) with a relative standard error of about 0.2%; we accept
within 10%, and a mean within 0.05 k of zero. Outputs and gradients are compared with
nn.Linear at rtol 1e-5, atol 1e-6 (float32 rounding only).
"""

import math

import torch
from torch import nn

from homl_tui.checks import expect_close, expect_true, fail, require_function


def _make(Dense, n_in, n_out):
    layer = Dense(n_in, n_out)
    if not isinstance(layer, nn.Module):
        fail("`Dense(...)` is not an nn.Module: write `class Dense(nn.Module):` and call "
             "super().__init__() first in __init__.")
    return layer


def _check_parameters(layer, n_in, n_out):
    params = dict(layer.named_parameters())
    if not params:
        fail("Dense(5, 3).parameters() is empty: the weights were stored as plain tensors, which "
             "nn.Module does not register, so no optimizer would ever train them. Wrap them in "
             "nn.Parameter(...).")
    if "weight" not in params:
        fail(f"Dense has parameters {sorted(params)} but none named `weight`: name it "
             "self.weight, as nn.Linear does, so state_dicts can be exchanged.")
    if "bias" not in params:
        fail("Dense has no parameter named `bias`: the layer has no bias, so every output is "
             "forced through the origin. Add self.bias = nn.Parameter(...) of shape "
             "(out_features,).")
    extra = sorted(set(params) - {"weight", "bias"})
    expect_true(not extra, f"Dense has extra parameters {extra}: a dense layer needs only "
                "`weight` and `bias`.")
    w, b = tuple(params["weight"].shape), tuple(params["bias"].shape)
    if w == (n_in, n_out) and n_in != n_out:
        fail(f"For Dense({n_in}, {n_out}) the weight has shape {w}, that is (in_features, "
             "out_features): transposed. nn.Linear stores it as (out_features, in_features) "
             "and computes x @ W.T, so its state_dict cannot be loaded into yours.")
    expect_true(w == (n_out, n_in), f"For Dense({n_in}, {n_out}) the weight has shape {w}; it "
                "should be (out_features, in_features).")
    expect_true(b == (n_out,), f"For Dense({n_in}, {n_out}) the bias has shape {b}; it should "
                "be (out_features,).")
    for name, p in params.items():
        expect_true(p.dtype == torch.float32, f"`{name}` has dtype "
                    f"{str(p.dtype).replace('torch.', '')}; use float32, PyTorch's default.")


def _check_init(Dense):
    n_in, n_out = 300, 200
    k = 1 / math.sqrt(n_in)
    a, b = _make(Dense, n_in, n_out), _make(Dense, n_in, n_out)
    w = a.weight.detach().double()
    if float(w.std()) == 0.0:
        fail("All the initial weights are equal (zeros?). Then every output unit computes the "
             "same thing and gets the same gradient, so they stay identical forever: start "
             "from small random values.")
    expect_true(float(w.abs().max()) <= k * (1 + 1e-5) and float(a.bias.detach().abs().max())
                <= k * (1 + 1e-5),
                f"For Dense({n_in}, {n_out}) some initial weights or biases fall outside "
                "[-k, k] with k = 1 / sqrt(in_features).")
    expect_true(abs(float(w.mean())) < 0.05 * k,
                "The initial weights are not centred on zero: draw them uniformly in [-k, k], "
                "not in [0, k].")
    ratio = float(w.std()) / (k / math.sqrt(3))
    expect_true(0.9 < ratio < 1.1,
                f"For Dense({n_in}, {n_out}) the spread of the initial weights is {ratio:.2f} "
                "times that of a uniform draw in [-k, k]: draw them uniformly in the whole range.")
    expect_true(not torch.equal(a.weight.detach(), b.weight.detach()),
                "Two Dense layers created one after the other have identical weights: do not "
                "reseed inside __init__, let each layer draw its own numbers.")


def _check_against_linear(Dense, ctx):
    g = torch.Generator().manual_seed(ctx.seed + 5)
    for n_in, n_out, batch_shape in ((5, 3, (7,)), (4, 4, (2, 6)), (1, 8, (3,))):
        layer = _make(Dense, n_in, n_out)
        _check_parameters(layer, n_in, n_out)
        ref = nn.Linear(n_in, n_out)
        with torch.no_grad():  # non-default values, so a copy that silently fails shows
            for p in ref.parameters():
                p.copy_(torch.randn(p.shape, generator=g))
        try:
            layer.load_state_dict(ref.state_dict())
        except RuntimeError as exc:
            fail(f"nn.Linear({n_in}, {n_out})'s state_dict could not be loaded into "
                 f"Dense({n_in}, {n_out}): {str(exc).splitlines()[-1].strip()}")
        x = torch.randn(*batch_shape, n_in, generator=g)
        out = layer(x)
        expected = ref(x)
        if tuple(out.shape) != tuple(expected.shape):
            fail(f"Dense({n_in}, {n_out}) maps an input of shape {tuple(x.shape)} to shape "
                 f"{tuple(out.shape)}; the output should keep the leading axes and end with "
                 "out_features.")
        where = (f"Dense({n_in}, {n_out}) on an input of shape {tuple(x.shape)}, with "
                 "nn.Linear's weights")
        expect_close(where, out.detach(), expected.detach(), rtol=1e-5, atol=1e-6)
        out.sum().backward()
        expected.sum().backward()
        for name in ("weight", "bias"):
            got = getattr(layer, name).grad
            expect_true(got is not None, f"After backward(), `{name}` has no gradient: the "
                        "output must be computed from the parameters themselves.")
            expect_close(f"the gradient of `{name}` ({where})", got,
                         getattr(ref, name).grad, rtol=1e-5, atol=1e-5)

    device = ctx.device
    layer = _make(Dense, 3, 2).to(device)
    expect_true(all(p.device.type == torch.device(device).type for p in layer.parameters()),
                f"After .to('{device}') the parameters are not on {device}: only registered "
                "parameters (nn.Parameter) move with the module.")
    out = layer(torch.randn(4, 3, generator=g).to(device))
    expect_true(out.device.type == torch.device(device).type,
                f"On {device}, the output is not on {device}.")


def check(learner, ctx):
    Dense = require_function(learner, "Dense")
    torch.set_grad_enabled(True)
    ctx.reseed()
    _check_parameters(_make(Dense, 5, 3), 5, 3)
    _check_init(Dense)
    _check_against_linear(Dense, ctx)
