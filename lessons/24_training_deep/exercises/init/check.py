"""Check init: init_std (exact formulas), init_linear_ (spread of the drawn weights, compared
with the formula and with nn.init's own initialisers, biases, generator) and activation_stds
(against the reference on the same layers), then the deep-stack experiment.

Tolerances: a 400 x 100 weight matrix has 40,000 entries, so the relative standard error of
its measured std is about 1 / sqrt(2 * 40000) = 0.35 %; we allow 4 %. Over 5 seeds of the
reference, the measured std was within 1.1 % of the formula and within 1.3 % of nn.init's.
Deep stack (30 square layers of 200, ReLU, 500 inputs): over 20 seeds the ratio
std(layer 30) / std(layer 1) was 0.48 to 2.29 with He (each layer multiplies the spread by a
random factor close to 1, so the product wanders) and 2e-5 to 5e-5 with Glorot; we require
0.25 to 4 for He and below 0.01 for Glorot.
"""

import math

import torch
from torch import nn

from homl_tui.checks import expect_close, expect_true, fail, require_function

TOL = 0.04


def _check_init_std(init_std):
    for fan_in, fan_out in [(400, 100), (100, 400), (64, 64), (3, 1000)]:
        for scheme in ("glorot", "he"):
            want = (math.sqrt(2 / (fan_in + fan_out)) if scheme == "glorot"
                    else math.sqrt(2 / fan_in))
            got = init_std(fan_in, fan_out, scheme)
            where = f"init_std({fan_in}, {fan_out}, {scheme!r})"
            try:
                got = float(got)
            except (TypeError, ValueError):
                fail(f"{where} returned a {type(got).__name__}; it should return one number.")
            if math.isclose(got, want ** 2, rel_tol=1e-6):
                fail(f"{where} returns the VARIANCE of the weights. The formulas give Var(w); "
                     "the standard deviation is its square root, and that is what "
                     "normal_(0, std) expects.")
            if scheme == "he" and math.isclose(got, math.sqrt(2 / fan_out), rel_tol=1e-6) \
                    and fan_in != fan_out:
                fail(f"{where} uses fan_out: He initialisation divides by fan_in, the number "
                     "of inputs each neuron sums over.")
            expect_close(where, got, want, rtol=1e-6)
    try:
        init_std(10, 10, "lecun-ish")
    except ValueError:
        return
    fail("init_std(10, 10, 'lecun-ish') did not raise ValueError: an unknown scheme name "
         "should be an error, not a silent default.")


def _measured_std(init_linear_, fan_in, fan_out, scheme, seed):
    layer = nn.Linear(fan_in, fan_out)
    weight = layer.weight
    g = torch.Generator().manual_seed(seed)
    out = init_linear_(layer, scheme, g)
    expect_true(out is layer, "init_linear_ should change the layer it is given (in place) and "
                "return that same layer.")
    expect_true(layer.weight is weight and isinstance(layer.weight, nn.Parameter)
                and layer.weight.requires_grad,
                "After init_linear_ the layer's weight is no longer the same trainable "
                "nn.Parameter: overwrite its values in place (weight.normal_(...)) under "
                "torch.no_grad().")
    expect_true(layer.bias is not None and not bool(layer.bias.detach().abs().max() > 0),
                f"After init_linear_ the bias of a Linear({fan_in}, {fan_out}) is not all "
                "zeros: set it to zero.")
    w = layer.weight.detach().double()
    return w.std().item(), w.mean().item(), layer


def _check_init_linear(init_linear_, init_std, seed):
    for fan_in, fan_out in [(400, 100), (100, 400)]:
        for scheme in ("he", "glorot"):
            where = f"nn.Linear({fan_in}, {fan_out}) with scheme {scheme!r}"
            got, mean, _ = _measured_std(init_linear_, fan_in, fan_out, scheme, seed)
            want = float(init_std(fan_in, fan_out, scheme))
            ratio = got / want
            swapped = float(init_std(fan_out, fan_in, scheme))
            if abs(ratio - 1) > TOL:
                if abs(got / swapped - 1) < TOL:
                    fail(f"For {where} the weights have the spread of a layer with {fan_out} "
                         f"inputs and {fan_in} outputs: fan_in and fan_out are swapped. "
                         "nn.Linear stores its weight as (out_features, in_features).")
                if abs(ratio * math.sqrt(3) - 1) < TOL:
                    fail(f"For {where} the spread of the weights is 1/sqrt(3) of what "
                         "init_std asks for: a uniform draw on (-std, std) has a smaller "
                         "standard deviation than std. Draw from a normal distribution.")
                fail(f"For {where} the standard deviation of the drawn weights is "
                     f"{ratio:.3g} times what init_std returns. Draw them with "
                     "weight.normal_(0.0, std, generator=generator).")
            expect_true(abs(mean) < 0.03 * want,
                        f"For {where} the weights are not centred on zero (mean "
                        f"{mean:.3g}): use a mean of 0.")
            ref = torch.empty(fan_out, fan_in)
            torch.manual_seed(seed)
            if scheme == "he":
                nn.init.kaiming_normal_(ref, mode="fan_in", nonlinearity="relu")
                name = "nn.init.kaiming_normal_(w, mode='fan_in', nonlinearity='relu')"
            else:
                nn.init.xavier_normal_(ref)
                name = "nn.init.xavier_normal_(w)"
            expect_true(abs(got / ref.double().std().item() - 1) < TOL,
                        f"For {where} the spread of your weights differs from {name} by "
                        "more than the check allows.")


def _check_generator(init_linear_, seed):
    a = init_linear_(nn.Linear(30, 20), "he", torch.Generator().manual_seed(seed))
    torch.manual_seed(seed + 99)
    b = init_linear_(nn.Linear(30, 20), "he", torch.Generator().manual_seed(seed))
    c = init_linear_(nn.Linear(30, 20), "he", torch.Generator().manual_seed(seed + 1))
    expect_true(torch.equal(a.weight, b.weight),
                "Two layers initialised with generators seeded the same way got different "
                "weights: draw the numbers from `generator` (normal_(..., generator=generator)), "
                "not from PyTorch's global random state.")
    expect_true(not torch.equal(a.weight, c.weight),
                "Layers initialised with differently seeded generators got the same weights: "
                "draw the numbers from `generator`.")


def _check_activation_stds(activation_stds, ctx):
    g = torch.Generator().manual_seed(ctx.seed + 5)
    layers = [nn.Linear(12, 12) for _ in range(6)]
    for layer in layers:
        with torch.no_grad():
            layer.weight.normal_(0, 0.4, generator=g)
            layer.bias.normal_(0, 0.1, generator=g)
    x = torch.randn(50, 12, generator=g)
    for act, name in ((torch.relu, "ReLU"), (torch.tanh, "tanh")):
        got = activation_stds(layers, act, x.clone())
        want = ctx.reference.activation_stds(layers, act, x.clone())
        if not isinstance(got, (list, tuple)) or len(got) != len(layers):
            fail(f"activation_stds should return a list with one std per layer ({len(layers)} "
                 f"here); it returned {type(got).__name__}"
                 + (f" of length {len(got)}." if hasattr(got, "__len__") else "."))
        try:
            got = [float(v) for v in got]
        except (TypeError, ValueError, RuntimeError):
            fail("activation_stds should return a list of numbers (use .item()).")
        before = ctx.reference.activation_stds(layers, lambda t: t, x.clone())
        if all(math.isclose(a, b, rel_tol=1e-4) for a, b in zip(got, before, strict=True)):
            fail(f"With {name}, your stds are those of the layer outputs BEFORE the "
                 "activation: apply the activation, and pass its output to the next layer.")
        expect_close(f"activation_stds(...) with {name}", got, want, rtol=1e-4, atol=1e-7)


def _deep_ratio(init_linear_, activation_stds, scheme, seed):
    g = torch.Generator().manual_seed(seed)
    layers = [init_linear_(nn.Linear(200, 200), scheme, g) for _ in range(30)]
    x = torch.randn(500, 200, generator=g)
    stds = [float(s) for s in activation_stds(layers, torch.relu, x)]
    return stds


def check(learner, ctx):
    init_std = require_function(learner, "init_std")
    init_linear_ = require_function(learner, "init_linear_")
    activation_stds = require_function(learner, "activation_stds")
    ctx.reseed()
    _check_init_std(init_std)
    _check_init_linear(init_linear_, init_std, ctx.seed + 1)
    _check_generator(init_linear_, ctx.seed + 2)
    _check_activation_stds(activation_stds, ctx)

    he = _deep_ratio(init_linear_, activation_stds, "he", ctx.seed + 3)
    glorot = _deep_ratio(init_linear_, activation_stds, "glorot", ctx.seed + 3)
    ratio_he, ratio_glorot = he[-1] / he[0], glorot[-1] / glorot[0]
    expect_true(math.isfinite(ratio_he) and 0.25 < ratio_he < 4,
                f"In a stack of 30 ReLU layers initialised with your He scheme, the spread of "
                f"the activations changed by a factor {ratio_he:.3g} from the first layer to "
                "the last: He initialisation should keep it roughly constant.")
    expect_true(ratio_glorot < 0.01,
                "In a stack of 30 ReLU layers initialised with your Glorot scheme the spread "
                "of the activations did not shrink: with ReLU, Glorot's variance is too small "
                "by about half at every layer. Check the 'glorot' formula.")
    layers = list(range(1, 31))
    ctx.report.plot("activation spread (check)", [math.log10(max(s, 1e-30)) for s in he],
                    layers, kind="line",
                    overlay={"Glorot + ReLU": (layers, [math.log10(max(s, 1e-30))
                                                        for s in glorot])},
                    title="log10 std per layer: He + ReLU and Glorot + ReLU",
                    xlabel="layer", ylabel="log10 std")
