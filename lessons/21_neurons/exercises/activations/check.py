"""Check six activation functions against PyTorch's own (values, and derivatives from autograd).

Inputs: seeded normal values (scale 4) in float32 and float64, and a row of extremes from
-1000 to 1000 including exactly 0. Tolerances: rtol 1e-5 and atol 1e-7 in float32,
rtol 1e-10 and atol 1e-14 in float64 (the reference matches torch to about one rounding
error). The functions must be written from exp, log, tanh and comparisons: the check reads
their source and refuses torch.sigmoid, F.softplus, torch.relu and autograd inside them.
"""

import ast
import inspect
import textwrap

import torch
import torch.nn.functional as F

from homl_tui.checks import expect_close, fail, require_function

NAMES = ("sigmoid", "sigmoid_grad", "tanh_grad", "relu", "relu_grad", "softplus")
BANNED = {"sigmoid", "sigmoid_", "softplus", "relu", "relu_", "expit", "logsigmoid", "silu",
          "gelu", "elu", "autograd", "grad", "backward", "functional", "nn", "special"}
EXTREMES = [-1000.0, -100.0, -30.0, -1.0, -1e-4, 0.0, 1e-4, 1.0, 30.0, 100.0, 1000.0]


def _derivative(fn, z):
    z = z.detach().clone().requires_grad_()
    fn(z).sum().backward()
    return z.grad


TRUTH = {
    "sigmoid": torch.sigmoid,
    "sigmoid_grad": lambda z: _derivative(torch.sigmoid, z),
    "tanh_grad": lambda z: _derivative(torch.tanh, z),
    "relu": torch.relu,
    "relu_grad": lambda z: _derivative(torch.relu, z),
    "softplus": F.softplus,
}
CAUSES = {
    "sigmoid": "exp of a large positive number overflows to inf, and inf / inf is NaN. "
               "Arrange the formula so that exp only ever sees -|z| (treat z >= 0 and z < 0 "
               "separately, e.g. with torch.where).",
    "sigmoid_grad": "exp of a large positive number overflows to inf, and inf / inf is NaN. "
                    "Write the derivative in terms of sigmoid(z) itself, which is already "
                    "stable.",
    "softplus": "exp(z) overflows for large z, so log(1 + exp(z)) is inf. Use the identity "
                "log(1 + exp(z)) = max(z, 0) + log(1 + exp(-|z|)).",
}


def _check_source(learner):
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(learner)))
    except (OSError, TypeError, SyntaxError):
        return
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in NAMES:
            for sub in ast.walk(node):
                name = sub.attr if isinstance(sub, ast.Attribute) else None
                if name in BANNED:
                    fail(f"`{node.name}` uses `.{name}`: the point is to write the function "
                         "yourself from exp, log, tanh and comparisons, without PyTorch's "
                         "ready-made activation or autograd.")


def _cases(g):
    return [
        ("normal values, float32", torch.randn(7, generator=g) * 4),
        ("normal values of shape (3, 5), float32", torch.randn(3, 5, generator=g) * 4),
        ("normal values, float64", torch.randn(2, 6, generator=g, dtype=torch.float64) * 4),
        ("extreme values, float32", torch.tensor(EXTREMES)),
        ("extreme values, float64", torch.tensor(EXTREMES, dtype=torch.float64)),
    ]


def _values_at(z, mask):
    return ", ".join(f"{v:g}" for v in z[mask].tolist()[:4])


def _one(name, fn, label, z, device):
    where = f"{name}(z) on {label}"
    z_dev = z.to(device)
    before = z_dev.clone()
    got = fn(z_dev)
    if not isinstance(got, torch.Tensor):
        fail(f"{where} returned a {type(got).__name__}; return a torch tensor.")
    if not torch.equal(z_dev, before):
        fail(f"{where} changed its input z in place: compute a new tensor (torch.where, "
             "clamp) instead of writing into z, which belongs to the caller.")
    if tuple(got.shape) != tuple(z.shape):
        fail(f"{where} returned shape {tuple(got.shape)}; an activation works element-wise, "
             "so the result has the shape of z.")
    if got.dtype != z.dtype:
        fail(f"{where} returned dtype {str(got.dtype).replace('torch.', '')} for a "
             f"{str(z.dtype).replace('torch.', '')} input: keep the dtype of z (e.g. "
             ".to(z.dtype)).")
    got = got.detach().cpu()
    want = TRUTH[name](z).detach()
    bad = ~torch.isfinite(got)
    if bad.any():
        kind = "NaN" if got.isnan().any() else "infinite"
        fail(f"{where} is {kind} at z = {_values_at(z, bad)}: "
             + CAUSES.get(name, "look for exp of a large number or a division by zero."))
    if z.dtype == torch.float64:
        rtol, atol = 1e-10, 1e-14
    else:
        rtol, atol = 1e-5, 1e-7
    off = (got - want).abs() > atol + rtol * want.abs()
    if not off.any():
        return
    if name == "relu_grad" and bool((z[off] == 0).all()):
        fail(f"{where} is wrong at z = 0 exactly. ReLU has a kink there and no true "
             "derivative; PyTorch, like this lesson, uses 0 at z = 0 (the unit counts as "
             "off), so the comparison must be strict.")
    if name == "tanh_grad" and torch.allclose(got, 1 - z * z, rtol=rtol, atol=atol):
        fail(f"{where} computes 1 - z**2, but the formula is 1 - t**2 with t = tanh(z): "
             "the derivative is written in terms of the function's output, not its input.")
    if name in ("sigmoid_grad", "tanh_grad") and torch.allclose(
            got, TRUTH[name.removesuffix("_grad")](z), rtol=rtol, atol=atol):
        fail(f"{where} returns the function itself, not its derivative.")
    expect_close(where, got, want, rtol=rtol, atol=atol)


def check(learner, ctx):
    fns = {name: require_function(learner, name) for name in NAMES}
    _check_source(learner)
    torch.set_grad_enabled(True)
    g = torch.Generator().manual_seed(ctx.seed + 3)
    cases = _cases(g)
    for name in NAMES:
        for label, z in cases:
            _one(name, fns[name], label, z, ctx.device)

    z = torch.linspace(-5, 5, 101)
    ctx.report.plot("your sigmoid", fns["sigmoid"](z), z, title="your activation functions",
                    overlay={"tanh": (z, torch.tanh(z)), "ReLU": (z, fns["relu"](z)),
                             "softplus": (z, fns["softplus"](z))})
