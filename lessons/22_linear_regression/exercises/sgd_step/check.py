"""Check sgd_step: an in-place step against the gradient, under no_grad, with zeroed grads.

Every property is exact up to float32 rounding (rtol 1e-5, atol 1e-6). Two steps are taken
in a row so that gradients left over from the first step would show up in the second.
"""

import torch

from homl_tui.checks import expect_close, expect_true, fail, require_function


def _problem(g):
    X = torch.randn(20, 3, generator=g)
    y = torch.randn(20, generator=g)
    w = torch.randn(3, generator=g).requires_grad_()
    b = torch.zeros((), requires_grad=True)
    return X, y, w, b


def _loss(X, y, w, b):
    return ((X @ w + b - y) ** 2 / 2).mean()


def _step(sgd_step, params, lr):
    try:
        sgd_step(params, lr)
    except RuntimeError as exc:
        text = str(exc)
        if "leaf Variable" in text or "in-place operation" in text:
            fail("The update raised PyTorch's error about an in-place operation on a leaf "
                 "that requires grad: do the update inside `with torch.no_grad():`, so "
                 "autograd does not try to record it.")
        raise


def _grad_is_zero(p):
    return p.grad is None or not bool(p.grad.abs().max() > 0)


def check(learner, ctx):
    sgd_step = require_function(learner, "sgd_step")
    ctx.reseed()
    g = torch.Generator().manual_seed(ctx.seed + 7)
    for lr in (0.1, 0.5):
        X, y, w, b = _problem(g)
        params = [w, b]
        for step in (1, 2):
            before = [p.detach().clone() for p in params]
            _loss(X, y, w, b).backward()
            grads = [p.grad.clone() for p in params]
            _step(sgd_step, params, lr)
            for name, p, old, grad in zip(("w", "b"), params, before, grads, strict=True):
                where = f"(step {step}, lr={lr})"
                expect_true(isinstance(p, torch.Tensor) and p.is_leaf and p.requires_grad,
                            f"`{name}` is no longer a leaf tensor that requires grad {where}: "
                            "update it in place under torch.no_grad().")
                if torch.equal(p.detach(), old):
                    fail(f"`{name}` did not change after sgd_step {where}. Writing "
                         "`p = p - lr * p.grad` only gives the loop variable a new tensor; "
                         "change the parameter in place: `p -= lr * p.grad`.")
                moved = p.detach() - old
                if torch.allclose(moved, lr * grad, rtol=1e-5, atol=1e-6):
                    fail(f"`{name}` moved uphill {where}: it went along the gradient, so the "
                         "loss grows (gradient ascent). Subtract lr * grad.")
                expect_close(f"the change of {name} {where}", moved, -lr * grad,
                             rtol=1e-5, atol=1e-6)
            if not all(_grad_is_zero(p) for p in params):
                fail("After sgd_step the gradients are not zero: backward() adds to .grad, "
                     f"so old gradients would accumulate into the next step (step {step}, "
                     f"lr={lr}). Zero them (p.grad.zero_()) after the update.")
