"""Check squared_loss against the formula and linreg_grad against autograd.

Everything here is exact arithmetic up to float32 rounding, so the tolerances are tight
(rtol 1e-4, atol 1e-5); the reference matches autograd to about 1e-7 on these cases.
Inputs come from a seeded torch.Generator, so the check is deterministic.
"""

import torch

from homl_tui.checks import expect_close, expect_shape, expect_true, fail, require_function


def _tensor(name, value):
    if not isinstance(value, torch.Tensor):
        fail(f"`{name}` returned a {type(value).__name__}; return a torch tensor so that "
             "autograd can follow it (stay in torch, no .item() or NumPy).")
    return value


def _near(a, b, tol=1e-4):
    return abs(a - b) <= tol * max(1.0, abs(b))


def _check_loss(squared_loss, g):
    n = 12
    cases = [  # (label, y_hat shape, y shape)
        ("both of shape (n,)", (n,), (n,)),
        ("y_hat (n, 1) and y (n,)", (n, 1), (n,)),
        ("y_hat (n,) and y (n, 1)", (n,), (n, 1)),
    ]
    for label, hat_shape, y_shape in cases:
        y_hat = torch.randn(hat_shape, generator=g).requires_grad_()
        y = torch.randn(y_shape, generator=g)
        loss = _tensor("squared_loss", squared_loss(y_hat, y.clone()))
        if loss.numel() != 1 or loss.dim() != 0:
            fail(f"With {label}, squared_loss returned shape {tuple(loss.shape)}; it should be "
                 "a single number (a 0-d tensor): average over the examples.")
        expect_true(loss.requires_grad, "The loss does not require grad, so backward() cannot "
                    "reach y_hat: build it from tensor operations on y_hat (no .item(), "
                    "no NumPy, no torch.no_grad()).")
        got = float(loss.detach())
        diff = y_hat.detach().reshape(-1) - y.reshape(-1)
        want = float((diff ** 2 / 2).mean())
        if _near(got, want):
            continue
        broadcast = float(((y_hat.detach() - y) ** 2 / 2).mean())
        if hat_shape != y_shape and _near(got, broadcast):
            fail(f"With {label}, the loss is wrong: y_hat - y broadcasts into an (n, n) "
                 "matrix of every prediction minus every target. Reshape y to y_hat's shape "
                 "before subtracting.")
        if _near(got, want * n):
            fail(f"With {label}, the loss is n={n} times too large: it looks like a sum over "
                 "the examples. Take the mean, so the loss (and the gradient) does not grow "
                 "with the batch size.")
        if _near(got, want * 2):
            fail(f"With {label}, the loss is twice too large: the lesson's squared loss "
                 "has a factor 1/2.")
        fail(f"With {label}, the loss is off by {abs(got - want):.3g}: it should be the mean "
             "of (y_hat - y) ** 2 / 2.")


def _check_grad(linreg_grad, g):
    for n, d in ((16, 3), (50, 1), (7, 5)):
        X = torch.randn(n, d, generator=g)
        y = torch.randn(n, generator=g)
        w = torch.randn(d, generator=g)
        b = torch.randn((), generator=g)

        w_ag, b_ag = w.clone().requires_grad_(), b.clone().requires_grad_()
        residual = X @ w_ag + b_ag - y
        (residual ** 2 / 2).mean().backward()

        try:
            with torch.no_grad():
                out = linreg_grad(X.clone(), y.clone(), w.clone(), b.clone())
        except RuntimeError as exc:
            if "grad" in str(exc):
                fail("linreg_grad called autograd (it raised: "
                     f"{str(exc).splitlines()[0]}). Here the point is to write the gradient "
                     "with the formula: X^T r / n and the mean of r.")
            raise
        if not isinstance(out, tuple) or len(out) != 2:
            fail(f"`linreg_grad` should return a pair (grad_w, grad_b); it returned a "
                 f"{type(out).__name__}.")
        grad_w, grad_b = _tensor("linreg_grad", out[0]), _tensor("linreg_grad", out[1])
        case = f"(X of shape {(n, d)})"
        expect_shape("grad_w", grad_w, (d,))
        expect_true(grad_b.numel() == 1, f"`grad_b` has shape {tuple(grad_b.shape)} {case}; "
                    "b is a single number, so its gradient is one number too.")
        want_w, want_b = w_ag.grad, b_ag.grad
        for name, got, want in (("grad_w", grad_w, want_w), ("grad_b", grad_b.reshape(()),
                                                              want_b)):
            if torch.allclose(got, want, rtol=1e-4, atol=1e-5):
                continue
            if torch.allclose(got, -want, rtol=1e-4, atol=1e-5):
                fail(f"`{name}` has the wrong sign {case}: it points downhill. The residual "
                     "is prediction minus target, r = X @ w + b - y.")
            if torch.allclose(got, want * n, rtol=1e-4, atol=1e-4):
                fail(f"`{name}` is n={n} times too large {case}: the loss is a mean, so "
                     "divide the summed gradient by n.")
            expect_close(f"{name} {case}", got, want, rtol=1e-4, atol=1e-5)


def check(learner, ctx):
    squared_loss = require_function(learner, "squared_loss")
    linreg_grad = require_function(learner, "linreg_grad")
    g = torch.Generator().manual_seed(ctx.seed + 21)
    _check_loss(squared_loss, g)
    _check_grad(linreg_grad, g)
