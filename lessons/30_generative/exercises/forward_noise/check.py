"""Check linear_beta_schedule and q_sample.

1. The schedule for T = 10 (0.001 to 0.2) and for the defaults (T = 1000, 1e-4 to 0.02): shapes,
   then betas, alphas and alpha_bars against the reference (rtol 1e-5); alpha_bars equal to
   the alphas (no running product) and a running sum are named.
2. q_sample against the reference on seeded inputs: points (3, 2), images (4, 1, 5, 5) and a
   square (2, 2) batch where a missing reshape of alpha_bar[t] broadcasts along the wrong axis;
   a missing square root and a 1-based index (alpha_bars[t - 1]) are named.
3. Closed form vs the chain, with the learner's own functions: 20,000 copies of one point noised
   one step at a time t + 1 times (x <- sqrt(1 - beta) x + sqrt(beta) eps) and once with
   q_sample(..., t, ...), for t = 0, 4 and 9 of the T = 10 schedule. The means must agree within
   0.03 and the standard deviations within 3% (standard errors are below 0.01 and 0.5%).
"""

import torch

from homl_tui.checks import expect_true, fail, require_function


def _call(name, fn, *args):
    try:
        return fn(*args)
    except NotImplementedError:
        raise
    except (RuntimeError, IndexError) as exc:
        text = str(exc).splitlines()[0]
        if "size of tensor" in text or "must match" in text:
            fail(f"{name} raised a shape error ({text[:120]}). alpha_bars[t] has shape "
                 "(batch,) and x0 has shape (batch, ...): reshape it to (batch, 1, ..., 1) so "
                 "it broadcasts over every axis but the batch axis.")
        fail(f"{name} raised {type(exc).__name__}: {text[:200]}")


def _close(a, b, rtol=1e-5, atol=1e-7):
    return (isinstance(a, torch.Tensor) and a.shape == b.shape
            and torch.allclose(a.double(), b.double(), rtol=rtol, atol=atol))


def _check_schedule(schedule, reference, T, args):
    where = f"linear_beta_schedule({T}{''.join(f', {a:g}' for a in args)})"
    out = _call("linear_beta_schedule", schedule, T, *args)
    if not isinstance(out, (tuple, list)) or len(out) != 3:
        fail(f"{where} should return three tensors (betas, alphas, alpha_bars).")
    betas, alphas, alpha_bars = out
    want_b, want_a, want_ab = reference(T, *args)
    for name, got in (("betas", betas), ("alphas", alphas), ("alpha_bars", alpha_bars)):
        if not isinstance(got, torch.Tensor) or tuple(got.shape) != (T,):
            shape = tuple(got.shape) if isinstance(got, torch.Tensor) else type(got).__name__
            fail(f"{where}: {name} should be a tensor of shape ({T},); got {shape}.")
    expect_true(_close(betas, want_b), f"{where}: the betas are not right. They should go in "
                "a straight line from beta_start (first) to beta_end (last), T values.")
    expect_true(_close(alphas, want_a), f"{where}: the alphas are not 1 - betas.")
    if _close(alpha_bars, want_ab):
        return
    if _close(alpha_bars, want_a):
        fail(f"{where}: alpha_bars equals alphas. alpha_bar_t is the running product of "
             "all the alphas up to step t (torch.cumprod), which is what lets one jump "
             "replace many small noising steps.")
    if _close(alpha_bars, 1 - torch.cumsum(want_b, 0), rtol=1e-4):
        fail(f"{where}: alpha_bars is 1 minus a running sum of the betas, an approximation; "
             "use the running product of the alphas.")
    fail(f"{where}: alpha_bars is not the running product of the alphas.")


def _cases(seed):
    g = torch.Generator().manual_seed(seed)
    shapes = [(3, 2), (4, 1, 5, 5), (2, 2), (6, 3)]
    cases = []
    for shape in shapes:
        x0 = torch.randn(shape, generator=g)
        t = torch.randint(0, 10, (shape[0],), generator=g)
        if shape == (2, 2):
            t = torch.tensor([0, 9])
        cases.append((x0, t, torch.randn(shape, generator=g)))
    return cases


def _check_q_sample(q_sample, alpha_bars, seed):
    for number, (x0, t, noise) in enumerate(_cases(seed), start=1):
        where = (f"On test input #{number} (x0 of shape {tuple(x0.shape)}, "
                 f"t = {t.tolist()})")
        got = _call("q_sample", q_sample, x0.clone(), t.clone(), alpha_bars.clone(),
                    noise.clone())
        if not isinstance(got, torch.Tensor) or got.shape != x0.shape:
            shape = tuple(got.shape) if isinstance(got, torch.Tensor) else type(got).__name__
            fail(f"{where}: q_sample returned {shape}; it should return a tensor of x0's "
                 "shape.")
        ab = alpha_bars[t].reshape(-1, *([1] * (x0.dim() - 1)))
        want = ab.sqrt() * x0 + (1 - ab).sqrt() * noise
        if _close(got, want, rtol=1e-5, atol=1e-6):
            continue
        if _close(got, ab * x0 + (1 - ab) * noise, rtol=1e-5, atol=1e-6):
            fail(f"{where}: x_t = alpha_bar * x0 + (1 - alpha_bar) * noise is missing the "
                 "square roots. The coefficients must be the square roots so the variance of "
                 "x_t stays about 1: alpha_bar + (1 - alpha_bar) = 1.")
        shifted = alpha_bars[t - 1].reshape(ab.shape)
        if _close(got, shifted.sqrt() * x0 + (1 - shifted).sqrt() * noise, rtol=1e-5,
                  atol=1e-6):
            fail(f"{where}: q_sample reads alpha_bars[t - 1], as if t counted from 1 like the "
                 "paper. Here t is already a 0-based index into alpha_bars (and t = 0 would "
                 "wrap around to the last step).")
        flat = alpha_bars[t]
        if x0.dim() == 2 and x0.shape[0] == x0.shape[1] and _close(
                got, flat.sqrt() * x0 + (1 - flat).sqrt() * noise, rtol=1e-5, atol=1e-6):
            fail(f"{where}: alpha_bars[t] (shape (batch,)) was multiplied with x0 without a "
                 "reshape, so on a square batch it scales the columns instead of the rows. "
                 "Reshape it to (batch, 1, ..., 1).")
        off = (got - want).abs().max().item()
        fail(f"{where}: x_t is off by up to {off:.3g}. It should be "
             "sqrt(alpha_bar_t) * x0 + sqrt(1 - alpha_bar_t) * noise, row by row.")


def _check_chain(schedule, q_sample):
    betas, _, alpha_bars = schedule(10, 0.001, 0.2)
    g = torch.Generator().manual_seed(5)
    n = 20_000
    x0 = torch.tensor([2.0, -1.0]).expand(n, 2).clone()
    for t in (0, 4, 9):
        x = x0.clone()
        for k in range(t + 1):
            x = (1 - betas[k]).sqrt() * x + betas[k].sqrt() * torch.randn(n, 2, generator=g)
        jump = q_sample(x0, torch.full((n,), t), alpha_bars, torch.randn(n, 2, generator=g))
        same_mean = torch.all((jump.mean(0) - x.mean(0)).abs() < 0.03)
        same_std = torch.all((jump.std(0) / x.std(0) - 1).abs() < 0.03)
        expect_true(same_mean and same_std,
                    f"Noising in one jump to t = {t} does not give the same distribution as "
                    f"applying the one-step noise {t + 1} time(s): the mean or the spread "
                    "differ. The jump must use the running product of the alphas.")


def check(learner, ctx):
    schedule = require_function(learner, "linear_beta_schedule")
    q_sample = require_function(learner, "q_sample")
    _check_schedule(schedule, ctx.reference.linear_beta_schedule, 10, (0.001, 0.2))
    _check_schedule(schedule, ctx.reference.linear_beta_schedule, 1000, ())
    _, _, alpha_bars = ctx.reference.linear_beta_schedule(10, 0.001, 0.2)
    _check_q_sample(q_sample, alpha_bars, ctx.seed + 3)
    _check_chain(schedule, q_sample)
