"""Check reparameterize(mu, log_var, generator): shape, gradients, reproducibility, statistics.

Order (the first failure names the mistake):
1. shape and dtype of z on a (4, 3) input;
2. gradients: for z = mu + exp(0.5 * log_var) * eps, d(sum z)/d mu = 1 and
   d(sum z)/d log_var = 0.5 * (z - mu) exactly (up to float error), whatever eps was drawn;
   a sample drawn by torch.normal / Normal(...).sample() has zero or no gradient;
3. the generator is used: two generators seeded alike give the same z, different seeds differ;
4. statistics on 40,000 draws per column, with log_var from -3 to 2: the sample mean must be
   within 0.05 standard deviations of mu and the sample std within 3% of exp(0.5 * log_var)
   (the standard error of a std estimate from 40,000 draws is 0.35%). Spreads equal to
   exp(log_var) or |log_var| are named.
"""

import torch

from homl_tui.checks import expect_true, fail, require_function


def _call(fn, *args):
    try:
        return fn(*args)
    except NotImplementedError:
        raise
    except (RuntimeError, TypeError, ValueError) as exc:
        fail(f"reparameterize raised {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")


def _shape(fn):
    g = torch.Generator().manual_seed(1)
    mu, log_var = torch.randn(4, 3, generator=g), torch.randn(4, 3, generator=g)
    z = _call(fn, mu, log_var, torch.Generator().manual_seed(2))
    if not isinstance(z, torch.Tensor):
        fail(f"reparameterize returned a {type(z).__name__}; it should return a tensor z.")
    expect_true(tuple(z.shape) == (4, 3),
                f"For mu and log_var of shape (4, 3), z has shape {tuple(z.shape)}; it should "
                "have their shape: one draw per entry.")
    expect_true(z.dtype == mu.dtype, f"z has dtype {z.dtype}; it should match mu's "
                f"({mu.dtype}).")


def _gradients(fn):
    g = torch.Generator().manual_seed(3)
    mu = torch.randn(6, 4, generator=g).requires_grad_()
    log_var = (torch.randn(6, 4, generator=g) - 0.5).requires_grad_()
    z = _call(fn, mu, log_var, torch.Generator().manual_seed(4))
    if not z.requires_grad:
        fail("z does not require a gradient: it was drawn outside autograd's graph (under "
             "no_grad, or with Normal(...).sample()), so no gradient can reach mu and log_var "
             "and the encoder would never learn. Build z from mu and log_var with tensor "
             "arithmetic and a separate noise tensor.")
    z.sum().backward()
    if mu.grad is None or log_var.grad is None:
        which = "mu" if mu.grad is None else "log_var"
        fail(f"After backward() through z, {which}.grad is None: z does not depend on "
             f"{which} through differentiable operations.")
    if not mu.grad.abs().max() > 0 or not log_var.grad.abs().max() > 0:
        fail("The gradients that reach mu and log_var through z are zero: torch.normal (or "
             "any sampler called with mu and the std) treats the draw as a black box, so "
             "backpropagation learns nothing from it. That is exactly the problem the trick "
             "solves: draw eps ~ N(0, 1) on its own and compute z from mu, log_var and eps.")
    z = z.detach()
    expect_true(torch.allclose(mu.grad, torch.ones_like(mu), atol=1e-5),
                "d(sum z)/d mu is not 1 everywhere: z should be mu plus a noise term, so "
                "moving mu moves z by the same amount.")
    expected = 0.5 * (z - mu.detach())
    if not torch.allclose(log_var.grad, expected, rtol=1e-4, atol=1e-5):
        if torch.allclose(log_var.grad, z - mu.detach(), rtol=1e-4, atol=1e-5):
            fail("The gradient with respect to log_var is twice what it should be: the "
                 "spread is exp(log_var), which is the variance, not the standard deviation. "
                 "The std is the square root of the variance.")
        if torch.allclose(log_var.grad * log_var.detach(), z - mu.detach(), rtol=1e-4,
                          atol=1e-5):
            fail("z moves with log_var as if log_var were the standard deviation itself. "
                 "It is the logarithm of the variance: turn it into a standard deviation "
                 "first.")
        fail("The gradient with respect to log_var is not what z = mu + std * eps gives with "
             "std computed from log_var: log_var is the log of the variance, so check how "
             "you turn it into a standard deviation.")


def _generator(fn):
    mu, log_var = torch.zeros(3, 5), torch.zeros(3, 5)
    a = _call(fn, mu, log_var, torch.Generator().manual_seed(11))
    b = _call(fn, mu, log_var, torch.Generator().manual_seed(11))
    c = _call(fn, mu, log_var, torch.Generator().manual_seed(12))
    if not torch.equal(a, b):
        fail("Two calls with generators seeded the same way gave different z: draw eps from "
             "the generator you are given (torch.randn(..., generator=generator)), not from "
             "torch's global random state, so a run can be repeated exactly.")
    expect_true(not torch.equal(a, c), "Generators with different seeds gave the same z: the "
                "noise should come from the generator.")


def _statistics(fn):
    n = 40_000
    mu = torch.tensor([0.5, -1.0, 2.0, 0.0, 3.0])
    log_var = torch.tensor([-3.0, -1.0, 0.0, 1.0, 2.0])
    z = _call(fn, mu.expand(n, 5).clone(), log_var.expand(n, 5).clone(),
              torch.Generator().manual_seed(21)).detach()
    std = torch.exp(0.5 * log_var)
    spread = z.std(dim=0)
    if not torch.all((z.mean(dim=0) - mu).abs() <= 0.05 * std + 1e-3):
        fail("The samples are not centred on mu: over many draws, the mean of z should be mu.")
    if torch.all((spread / std - 1).abs() <= 0.03):
        return
    if torch.all((spread / torch.exp(log_var) - 1).abs() <= 0.03):
        fail("The samples spread as far as exp(log_var), the variance: the noise must be "
             "scaled by the standard deviation, the square root of the variance.")
    if torch.all((spread / log_var.abs() - 1).abs() <= 0.03):
        fail("The samples spread as far as |log_var|: log_var was used as if it were the "
             "standard deviation. It is the logarithm of the variance.")
    fail("The spread of the samples does not match the standard deviation that log_var "
         "describes (log_var is the log of the variance).")


def check(learner, ctx):
    fn = require_function(learner, "reparameterize")
    torch.set_grad_enabled(True)
    _shape(fn)
    _gradients(fn)
    _generator(fn)
    _statistics(fn)
