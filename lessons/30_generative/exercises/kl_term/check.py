"""Check kl_to_standard_normal(mu, log_var) against torch.distributions.kl_divergence.

Cases: seeded mu, log_var of shapes (5, 3), (2, 7), (8, 2), (1, 4), (6, 6), with log_var
spread over about -3..2, plus a square case; then the gradient (the result must stay a tensor
in the graph). Wrong answers are compared with the usual mistakes to name them: a missing 0.5,
log_var used as the standard deviation or as the variance, a sum over the batch instead of the
code axis, a mean over the code axis.
"""

import torch
from torch.distributions import Normal, kl_divergence

from homl_tui.checks import expect_true, fail, require_function

SHAPES = [(5, 3), (2, 7), (8, 2), (1, 4), (6, 6)]


def _library(mu, log_var):
    return kl_divergence(Normal(mu, torch.exp(0.5 * log_var)), Normal(0.0, 1.0)).sum(dim=-1)


def _mistakes(mu, log_var):
    v = log_var
    terms = log_var.exp() + mu ** 2 - 1 - log_var
    as_std = v ** 2 + mu ** 2 - 1 - torch.log(v ** 2)
    as_var = v + mu ** 2 - 1 - torch.log(v.abs())
    return [
        (terms.sum(dim=-1), "The KL is twice what it should be: the formula has a factor 0.5 "
                            "in front of the sum."),
        (0.5 * as_std.sum(dim=-1), "log_var was used as the standard deviation. It is the log "
                                   "of the variance, so the variance is exp(log_var) and "
                                   "log(variance) is log_var itself."),
        (0.5 * as_var.sum(dim=-1), "log_var was used as the variance. It is the log of the "
                                   "variance: the variance is exp(log_var)."),
        (0.5 * terms.mean(dim=-1), "The KL is averaged over the code dimensions: for "
                                   "independent coordinates the KL of the whole Gaussian is "
                                   "the sum of the coordinates' KLs."),
    ]


def _close(a, b):
    return a.shape == b.shape and torch.allclose(a, b, rtol=1e-4, atol=1e-5)


def _call(fn, mu, log_var):
    try:
        return fn(mu, log_var)
    except NotImplementedError:
        raise
    except (RuntimeError, TypeError, ValueError) as exc:
        fail(f"kl_to_standard_normal raised {type(exc).__name__}: "
             f"{str(exc).splitlines()[0][:200]}")


def check(learner, ctx):
    fn = require_function(learner, "kl_to_standard_normal")
    torch.set_grad_enabled(True)
    g = torch.Generator().manual_seed(ctx.seed + 5)
    for number, (batch, size) in enumerate(SHAPES, start=1):
        mu = 1.5 * torch.randn(batch, size, generator=g)
        log_var = 2.5 * torch.rand(batch, size, generator=g) * 2 - 3.0
        want = _library(mu, log_var)
        got = _call(fn, mu.clone(), log_var.clone())
        where = f"On test input #{number} (mu and log_var of shape ({batch}, {size}))"
        if not isinstance(got, torch.Tensor):
            fail(f"{where}: the result is a {type(got).__name__}; return a tensor (keep it in "
                 "the graph so the VAE can backpropagate through it).")
        if tuple(got.shape) != (batch,):
            if tuple(got.shape) == (size,) or got.numel() == size and size != batch:
                fail(f"{where}: the result has shape {tuple(got.shape)}, one number per code "
                     "dimension: you summed over the batch axis. Sum over the code axis "
                     "(the last one) to get one KL per example.")
            if got.dim() == 0:
                fail(f"{where}: the result is a single number; return one KL per example, "
                     f"shape ({batch},). The loss averages them later.")
            fail(f"{where}: the result has shape {tuple(got.shape)}; it should be ({batch},), "
                 "one KL per example, summed over the code dimensions.")
        got = got.detach().to(torch.float32)
        if _close(got, want):
            continue
        if (got < -1e-5).any():
            fail(f"{where}: some KL values are negative; a KL divergence is never negative. "
                 "Check the signs of the four terms.")
        for value, message in _mistakes(mu, log_var):
            if _close(got, value):
                fail(f"{where}: {message}")
        off = (got - want).abs().max().item()
        fail(f"{where}: the KL is off by up to {off:.3g} from torch.distributions."
             "kl_divergence. Check each term of 0.5 * sum(exp(log_var) + mu**2 - 1 - log_var).")

    mu = torch.randn(4, 3, generator=g).requires_grad_()
    log_var = torch.randn(4, 3, generator=g).requires_grad_()
    out = _call(fn, mu, log_var)
    expect_true(out.requires_grad, "The result does not carry a gradient: compute it with "
                "torch operations on mu and log_var (no .item(), .numpy() or .detach()), so "
                "the VAE's loss can backpropagate through it.")
    out.sum().backward()
    expect_true(torch.allclose(mu.grad, mu.detach(), atol=1e-5),
                "The gradient of the KL with respect to mu is not right (it should pull each "
                "mean towards 0 in proportion to its size).")
