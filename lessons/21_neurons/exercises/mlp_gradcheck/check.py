"""Check mlp_forward, numerical_grad and relative_error, then a whole gradient check.

mlp_forward: seeded shapes in float64 on the CPU (rtol 1e-10), and once in float32 on
ctx.device (compared on the CPU, rtol 1e-5); the result must keep the autograd graph.
numerical_grad: smooth seeded functions of a float64 tensor that requires grad, with
eps = 1e-4, against autograd. Over 20 seeds of these functions, central differences were off
by at most 1.1e-7 and one-sided ones by at least 5e-6 (and failed the tolerance every time),
so the tolerance is atol 1e-6 plus rtol 1e-6. x must be unchanged afterwards. Finally the learner's three functions check the
gradient of an MLP loss: every relative error must be below 1e-6 (the reference: about 1e-10).
"""

import math

import torch

from homl_tui.checks import expect_close, expect_true, fail, require_function

EPS = 1e-4
ATOL = RTOL = 1e-6


def _reference_forward(X, W1, b1, W2, b2):
    return torch.relu(X @ W1 + b1) @ W2 + b2


def _params(g, d, h, k, dtype=torch.float64):
    return [torch.randn(d, h, generator=g, dtype=dtype), torch.randn(h, generator=g, dtype=dtype),
            torch.randn(h, k, generator=g, dtype=dtype), torch.randn(k, generator=g, dtype=dtype)]


def _check_forward(mlp_forward, g, device):
    for n, d, h, k in ((5, 3, 4, 2), (1, 2, 6, 3), (8, 5, 5, 1)):
        X = torch.randn(n, d, generator=g, dtype=torch.float64)
        params = [p.requires_grad_() for p in _params(g, d, h, k)]
        what = f"mlp_forward with X {(n, d)}, W1 {(d, h)}, W2 {(h, k)}"
        got = mlp_forward(X, *params)
        if not isinstance(got, torch.Tensor):
            fail(f"{what} returned a {type(got).__name__}; return a torch tensor.")
        if tuple(got.shape) != (n, k):
            fail(f"{what} returned shape {tuple(got.shape)}; it should give one row of k={k} "
                 f"outputs per example, shape (n, k) = {(n, k)}. Multiply X @ W1, then "
                 "the hidden layer @ W2.")
        expect_true(got.requires_grad, f"{what}: the result does not require grad, so autograd "
                    "cannot reach the weights. Stay with torch operations (no .detach(), "
                    ".item(), NumPy or torch.no_grad()).")
        got = got.detach()
        with torch.no_grad():
            want = _reference_forward(X, *params)
            linear = X @ params[0] @ params[2] + params[1] @ params[2] + params[3]
        if torch.allclose(got, want, rtol=1e-10, atol=1e-12):
            continue
        if torch.allclose(got, torch.relu(want), rtol=1e-10, atol=1e-12):
            fail(f"{what}: no output is ever negative, because the ReLU is applied to the last "
                 "layer too. The output layer gives raw scores (logits) that may be negative: "
                 "apply the activation to the hidden layer only.")
        if torch.allclose(got, linear, rtol=1e-10, atol=1e-12):
            fail(f"{what}: there is no activation between the layers, so the two layers "
                 "collapse into a single linear map. Apply ReLU to the hidden layer.")
        expect_close(what, got, want, rtol=1e-10, atol=1e-12)

    X = torch.randn(6, 3, generator=g).to(device)
    params = [p.to(device) for p in _params(g, 3, 4, 2, torch.float32)]
    got = mlp_forward(X, *params)
    expect_true(isinstance(got, torch.Tensor) and got.device.type == torch.device(device).type,
                f"mlp_forward on {device} tensors should return a tensor on {device}: create "
                "nothing on the CPU inside the function.")
    want = _reference_forward(X.cpu(), *[p.cpu() for p in params])
    expect_close(f"mlp_forward on {device} in float32", got.detach().cpu(), want, rtol=1e-5,
                 atol=1e-5)


def _functions(g):
    A = torch.randn(4, 3, generator=g, dtype=torch.float64)
    c = torch.randn(5, generator=g, dtype=torch.float64)
    return [
        ("a vector of 5", (5,), lambda x: (x.sin() * c).sum() + 0.3 * (x ** 3).sum()),
        ("a (3, 4) matrix", (3, 4), lambda x: ((x @ A).tanh() ** 2).sum() + x.exp().mean()),
        ("a (2, 3) matrix", (2, 3), lambda x: (x * x).sum().sqrt() * x[0, 1]),
    ]


def _forward_difference(f, x):
    grad = torch.zeros_like(x)
    with torch.no_grad():
        base = float(f(x))
        for i in range(x.numel()):
            shifted = x.detach().clone()
            shifted.view(-1)[i] += EPS
            grad.view(-1)[i] = (float(f(shifted)) - base) / EPS
    return grad


def _check_numerical(numerical_grad, g):
    for label, shape, f in _functions(g):
        x = torch.randn(shape, generator=g, dtype=torch.float64).requires_grad_()
        before = x.detach().clone()
        what = f"numerical_grad on a function of {label}"
        try:
            got = numerical_grad(f, x, eps=EPS)
        except RuntimeError as exc:
            if "in-place" in str(exc) or "inplace" in str(exc):
                fail(f"{what} raised: {str(exc).splitlines()[0]} Change the entries of x "
                     "inside `with torch.no_grad():` (or on x.detach(), which shares its "
                     "memory).")
            raise
        if not torch.equal(x.detach(), before):
            fail(f"{what}: x was changed by the call. After nudging an entry by +eps and "
                 "-eps, put its original value back, or every later entry (and the caller) "
                 "sees a shifted x.")
        if not isinstance(got, torch.Tensor):
            fail(f"{what} returned a {type(got).__name__}; return a tensor shaped like x.")
        if tuple(got.shape) != shape:
            fail(f"{what} returned shape {tuple(got.shape)}; the gradient has the shape of x.")
        got = got.detach().to(torch.float64)
        x_ag = before.clone().requires_grad_()
        f(x_ag).backward()
        want = x_ag.grad
        if torch.allclose(got, want, rtol=RTOL, atol=ATOL):
            continue
        if torch.allclose(got, 2 * want, rtol=1e-4, atol=1e-5):
            fail(f"{what} is twice the true gradient: f(x + eps) - f(x - eps) spans a "
                 "distance of 2 eps, so divide by 2 eps.")
        if torch.allclose(got, _forward_difference(f, before), rtol=1e-6, atol=1e-8):
            fail(f"{what} is off by about {float((got - want).abs().max()):.1g}: these are "
                 "one-sided differences, (f(x + eps) - f(x)) / eps, whose error shrinks only "
                 "like eps. Use central differences, (f(x + eps) - f(x - eps)) / (2 eps), "
                 "whose error shrinks like eps**2.")
        expect_close(what, got, want, rtol=RTOL, atol=ATOL)


def _check_relative_error(relative_error, g):
    a = torch.randn(3, 4, generator=g, dtype=torch.float64)
    b = a + 1e-3 * torch.randn(3, 4, generator=g, dtype=torch.float64)
    cases = [("two close tensors", a, b), ("a tensor and its negative", a, -a),
             ("a tensor and itself", a, a.clone()),
             ("two zero tensors", torch.zeros(5, dtype=torch.float64), torch.zeros(5))]
    for label, x, y in cases:
        got = relative_error(x, y)
        try:
            got = float(got)
        except (TypeError, ValueError, RuntimeError):
            fail(f"relative_error of {label} returned a {type(got).__name__}; return one "
                 "number.")
        if math.isnan(got):
            fail(f"relative_error of {label} is NaN: when both norms are zero there is "
                 "nothing to compare, so return 0.0 instead of dividing 0 by 0.")
        norm_sum = (x.norm() + y.norm()).item()
        want = 0.0 if norm_sum == 0 else (x - y).norm().item() / norm_sum
        expect_close(f"relative_error of {label}", got, want, rtol=1e-9, atol=1e-15)


def _check_whole(learner, g, ctx):
    n, d, h, k = 10, 3, 6, 2
    X = torch.randn(n, d, generator=g, dtype=torch.float64)
    Y = torch.randn(n, k, generator=g, dtype=torch.float64)
    params = [(0.7 * p).requires_grad_() for p in _params(g, d, h, k)]

    def loss_of(i):
        """The loss as a function of parameter i, the others held fixed."""
        def f(value):
            args = list(params)
            args[i] = value
            return ((learner.mlp_forward(X, *args) - Y) ** 2).mean()
        return f

    loss_of(0)(params[0]).backward()
    errors = []
    for i, (name, p) in enumerate(zip(("W1", "b1", "W2", "b2"), params, strict=True)):
        numeric = learner.numerical_grad(loss_of(i), p, eps=1e-6)
        error = float(learner.relative_error(p.grad, numeric))
        errors.append(error)
        if not error < 1e-6:
            fail(f"The whole gradient check of an MLP loss fails for {name}: relative error "
                 f"{error:.2g} between autograd and your numerical gradient.")
    ctx.report.plot("relative errors", [math.log10(max(e, 1e-16)) for e in errors],
                    ["W1", "b1", "W2", "b2"], kind="bar",
                    title="log10 relative error, autograd vs numerical (good: below -6)")


def check(learner, ctx):
    mlp_forward = require_function(learner, "mlp_forward")
    numerical_grad = require_function(learner, "numerical_grad")
    relative_error = require_function(learner, "relative_error")
    torch.set_grad_enabled(True)
    g = torch.Generator().manual_seed(ctx.seed + 9)
    _check_forward(mlp_forward, g, ctx.device)
    _check_numerical(numerical_grad, g)
    _check_relative_error(relative_error, g)
    _check_whole(learner, g, ctx)
