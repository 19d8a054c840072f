"""Check p_sample_loop with a perfect noise predictor, so no training is needed.

Data N(mu, diag(s**2)) with mu = (1.5, -1), s = (0.5, 0.2); for it the best noise predictor is
known exactly: eps(x_t, t) = sqrt(1 - ab_t) (x_t - sqrt(ab_t) mu) / (ab_t s**2 + 1 - ab_t).
Schedule: T = 100, betas 0.001 to 0.2. A spy records every call: the model must be called T
times with t = T-1, T-2, ..., 0 as (batch,) integer tensors.
The check draws 20,000 samples. With the reference sampler their mean is mu to within 0.004
and their std is 0.508 and 0.209 (the 100-step discretisation adds 2-5%; a std estimate from
20,000 draws has a standard error of 0.5%). Allowed: mean within 0.03 of mu, std within 4% of
the reference's. Known mistakes land far away: without fresh noise the std is about 0.001,
without the square root in the noise coefficient about 0.12 and 0.013.
"""

import torch
from torch import nn

from homl_tui.checks import expect_true, fail, require_function

T, N = 100, 20_000
MU, S = torch.tensor([1.5, -1.0]), torch.tensor([0.5, 0.2])


def _schedule():
    betas = torch.linspace(1e-3, 0.2, T)
    return betas, torch.cumprod(1 - betas, dim=0)


class GaussianDenoiser(nn.Module):
    def __init__(self, alpha_bars):
        super().__init__()
        self.register_buffer("alpha_bars", alpha_bars)
        self.register_buffer("mu", MU.clone())
        self.register_buffer("s", S.clone())
        self.calls = []

    def forward(self, x, t):
        self.calls.append((tuple(t.shape), t.dtype, t.detach().cpu().clone()))
        ab = self.alpha_bars[t].reshape(-1, 1)
        return (1 - ab).sqrt() * (x - ab.sqrt() * self.mu) / (ab * self.s ** 2 + 1 - ab)


def _run(fn, n, seed, device):
    betas, alpha_bars = _schedule()
    model = GaussianDenoiser(alpha_bars).to(device)
    try:
        out = fn(model, betas.clone(), (n, 2), torch.Generator().manual_seed(seed), device)
    except NotImplementedError:
        raise
    except (RuntimeError, IndexError, TypeError, ValueError) as exc:
        fail(f"p_sample_loop raised {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
    if not isinstance(out, torch.Tensor) or tuple(out.shape) != (n, 2):
        shape = tuple(out.shape) if isinstance(out, torch.Tensor) else type(out).__name__
        fail(f"p_sample_loop(model, betas, ({n}, 2), ...) returned {shape}; it should return "
             f"the final samples x_0, a tensor of shape ({n}, 2).")
    return out.detach().float().cpu(), model.calls


def _check_calls(calls, n):
    expect_true(len(calls) == T, f"The model was called {len(calls)} time(s); the sampler "
                f"should call it once per step, {T} times for T = {T}.")
    for shape, dtype, t in calls:
        expect_true(shape == (n,), f"The model got t of shape {shape}; pass one time step per "
                    f"example, a tensor of shape ({n},) (torch.full((n,), t)).")
        expect_true(not dtype.is_floating_point and dtype != torch.bool,
                    f"The model got t as {dtype}; pass integer steps (dtype=torch.long): the "
                    "network and the schedule index with them.")
        expect_true(bool((t == t[0]).all()), "Within one reverse step every example should "
                    "get the same t.")
    order = [int(t[0]) for _, _, t in calls]
    if order == list(range(T)):
        fail("The model was called with t = 0, 1, ..., T-1: that runs the reverse process "
             "forwards in time. Sampling starts from pure noise at the last step and walks "
             "down: t = T-1, T-2, ..., 0.")
    expect_true(order == list(range(T - 1, -1, -1)),
                f"The model was called with the steps {order[:4]}...{order[-2:]}; it should "
                f"see t = {T - 1}, {T - 2}, ..., 0, each once.")


def check(learner, ctx):
    fn = require_function(learner, "p_sample_loop")
    x, calls = _run(fn, N, ctx.seed + 1, ctx.device)
    _check_calls(calls, N)
    expect_true(torch.isfinite(x).all(), "The samples contain NaN or infinite values: check "
                "for a division by a quantity that can be zero, like 1 - alpha_bar at a step.")
    ref, _ = _run(ctx.reference.p_sample_loop, N, ctx.seed + 2, "cpu")
    mean, std, ref_std = x.mean(0), x.std(0), ref.std(0)
    ratio = std / ref_std
    if torch.all(ratio < 0.05):
        fail("The samples have almost no spread: every run lands on nearly the same point. "
             "Each reverse step (except the last) must add fresh noise, sqrt(beta_t) * z with "
             "a new z ~ N(0, I); without it the sampler just slides to the most likely point.")
    expect_true(torch.all((mean - MU).abs() < 0.03),
                "The samples are not centred where the data is: the mean of the reverse step "
                "is (x_t - beta_t / sqrt(1 - alpha_bar_t) * eps) / sqrt(alpha_t).")
    if torch.all((ratio - 1).abs() <= 0.04):
        x1, _ = _run(fn, 500, 77, ctx.device)
        x2, _ = _run(fn, 500, 77, ctx.device)
        expect_true(torch.equal(x1, x2), "Two runs with generators seeded the same way gave "
                    "different samples: draw x_T and every z from the generator you are given.")
        ctx.report.plot("check: samples", x[:2000, 1], x[:2000, 0], kind="scatter",
                        title="samples of N((1.5, -1), diag(0.5, 0.2)^2) from your sampler")
        return
    if torch.all(ratio < 1):
        fail("The samples are too concentrated: their spread is well below the data's. Check "
             "the noise term sqrt(beta_t) * z and the coefficient of eps, "
             "beta_t / sqrt(1 - alpha_bar_t): both are square roots where it matters.")
    fail("The samples spread too widely compared with the data. Check the noise term "
         "sqrt(beta_t) * z, the coefficient of eps, beta_t / sqrt(1 - alpha_bar_t), and the "
         "division by sqrt(alpha_t).")
