"""Check ddpm_loss and train_ddpm.

1. ddpm_loss with a spy model (a fixed random linear map of x_t and t that records its
   inputs), on 512 seeded points with T = 100 (betas 0.001 to 0.2). From what the model saw,
   the check recovers the noise that was mixed in, eps = (x_t - sqrt(ab_t) x0) / sqrt(1 - ab_t),
   and requires: t a (batch,) integer tensor in [0, T) spread over the range, one step per
   example; the recovered eps standard normal (mean within 0.15, std within 15%: 1,024 values);
   the returned loss equal to the MSE between the model's output and that eps (rtol 1e-4), and
   carrying a gradient. Targets x0 and noise drawn separately from the one in x_t are named.
2. train_ddpm on 4,000 points of two moons (noise 0.05, standardised), NoiseNet with 128 hidden
   units, Adam lr 2e-3, 3,000 steps of batch 128; then 1,000 samples from the check's own
   sampler, scored by the Chamfer distance to 1,000 held-out moons points (mean nearest-point
   distance both ways). Reference with the check's own seeding, ctx.seed = 0..9: 0.153 0.177
   0.149 0.164 0.146 0.153 0.161 0.161 0.157 0.161 (max 0.177). For scale: another draw of
   real moons scores 0.057, pure Gaussian noise 0.38. We allow 0.22. One run takes 4-9 s.
"""

import math

import torch
import torch.nn.functional as F
from sklearn.datasets import make_moons
from torch import nn

from homl_tui.checks import expect_decreasing, expect_true, fail, require_function

T = 100
TRAIN_STEPS, BATCH, LR, MAX_CHAMFER = 3000, 128, 2e-3, 0.22


def _schedule():
    betas = torch.linspace(1e-3, 0.2, T)
    return betas, torch.cumprod(1 - betas, dim=0)


def moons(n, seed):
    X, _ = make_moons(n, noise=0.05, random_state=seed)
    return torch.tensor((X - [0.5, 0.25]) / [0.87, 0.5], dtype=torch.float32)


class Spy(nn.Module):
    def __init__(self):
        super().__init__()
        g = torch.Generator().manual_seed(4)
        self.weight = nn.Parameter(torch.randn(3, 2, generator=g) * 0.5)
        self.seen = []

    def forward(self, x, t):
        self.seen.append((x.detach().clone(), t.detach().clone()))
        features = torch.cat([x, t.float()[:, None] / T], dim=1)
        out = features @ self.weight
        self.seen[-1] += (out.detach().clone(),)
        return out


class NoiseNet(nn.Module):
    def __init__(self, dim=2, hidden=128, time_features=16):
        super().__init__()
        half = time_features // 2
        self.register_buffer("freqs", torch.exp(-math.log(1000.0) * torch.arange(half) / half))
        self.net = nn.Sequential(
            nn.Linear(dim + time_features, hidden), nn.SiLU(),
            nn.Linear(hidden, hidden), nn.SiLU(),
            nn.Linear(hidden, hidden), nn.SiLU(),
            nn.Linear(hidden, dim))

    def forward(self, x, t):
        angles = t.float()[:, None] * self.freqs[None]
        return self.net(torch.cat([x, torch.sin(angles), torch.cos(angles)], dim=1))


@torch.no_grad()
def p_sample_loop(model, betas, shape, generator, device):
    betas = betas.to(device)
    alphas = 1.0 - betas
    alpha_bars = torch.cumprod(alphas, dim=0)
    x = torch.randn(shape, generator=generator).to(device)
    for t in reversed(range(len(betas))):
        eps = model(x, torch.full((shape[0],), t, dtype=torch.long, device=device))
        x = (x - betas[t] / (1 - alpha_bars[t]).sqrt() * eps) / alphas[t].sqrt()
        if t > 0:
            x = x + betas[t].sqrt() * torch.randn(shape, generator=generator).to(device)
    return x


def chamfer(a, b):
    d = torch.cdist(a.float().cpu(), b.float().cpu())
    return (d.min(dim=1).values.mean() + d.min(dim=0).values.mean()).item()


def _check_loss(learner, ctx):
    loss_fn = require_function(learner, "ddpm_loss")
    _, alpha_bars = _schedule()
    x0 = moons(512, ctx.seed + 3)
    spy = Spy()
    try:
        loss = loss_fn(spy, x0.clone(), alpha_bars.clone(), torch.Generator().manual_seed(5))
    except NotImplementedError:
        raise
    except (RuntimeError, IndexError, TypeError, ValueError) as exc:
        fail(f"ddpm_loss raised {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
    expect_true(len(spy.seen) == 1, f"ddpm_loss called the model {len(spy.seen)} time(s); "
                "it should call it once, on the whole noised batch.")
    x_t, t, out = spy.seen[0]
    expect_true(tuple(x_t.shape) == tuple(x0.shape),
                f"The model got x_t of shape {tuple(x_t.shape)}; it should be the noised batch, "
                f"of x0's shape {tuple(x0.shape)}.")
    expect_true(tuple(t.shape) == (len(x0),) and not t.dtype.is_floating_point,
                f"The model got t of shape {tuple(t.shape)} and dtype {t.dtype}; it should get "
                f"one integer step per example, a ({len(x0)},) long tensor.")
    t = t.cpu()
    expect_true(int(t.min()) >= 0 and int(t.max()) < T,
                f"Some steps t are outside 0..T-1 (T = {T}): draw them with "
                "torch.randint(0, T, (batch,)).")
    if len(set(t.tolist())) == 1:
        fail("Every example of the batch got the same t. The model must be told each "
             "example's own step (the one its noise level comes from), and the steps should "
             "be drawn at random per example, so one batch trains all noise levels at once.")
    expect_true(int(t.min()) < T // 4 and int(t.max()) >= 3 * T // 4,
                "The steps t do not cover the whole range 0..T-1: draw them uniformly with "
                "torch.randint(0, T, (batch,), generator=generator).")
    ab = alpha_bars[t].reshape(-1, 1)
    eps = (x_t.cpu() - ab.sqrt() * x0) / (1 - ab).sqrt()
    if not (abs(eps.mean().item()) < 0.15 and abs(eps.std().item() - 1) < 0.15):
        fail("The model's input x_t is not sqrt(alpha_bar_t) * x0 + sqrt(1 - alpha_bar_t) * "
             "noise with standard normal noise at the step t it was told: noise the batch "
             "with q_sample(x0, t, alpha_bars, noise), using the same t you pass to the model.")
    if not isinstance(loss, torch.Tensor) or loss.numel() != 1:
        fail("ddpm_loss should return the loss as a one-element tensor (not a float), so "
             "train_ddpm can call backward() on it.")
    expect_true(loss.requires_grad, "The loss carries no gradient: compute it from the "
                "model's output with torch operations (no .item() or .detach()).")
    value = loss.item()
    out = out.cpu()
    want = F.mse_loss(out, eps).item()
    if math.isclose(value, want, rel_tol=1e-4, abs_tol=1e-6):
        return
    if math.isclose(value, want * x0.shape[1], rel_tol=1e-4, abs_tol=1e-6):
        fail("The loss is the squared error summed over the coordinates of each point; "
             "F.mse_loss (a mean over every entry) keeps its scale independent of the data's "
             "dimension.")
    if math.isclose(value, F.mse_loss(out, x0).item(), rel_tol=1e-4, abs_tol=1e-6):
        fail("The loss compares the model's output with x0, the clean data. This model is an "
             "eps-predictor: its target is the noise that was mixed into x_t (and the sampler "
             "relies on that).")
    fail("The loss is not the MSE between the model's output and the noise that is inside "
         "x_t. Use one noise tensor for both: noise the batch with it, then compare the "
         "model's prediction with that same tensor. A second, fresh draw is unpredictable, so "
         "the model would learn to output zero.")


def _check_training(learner, ctx):
    train = require_function(learner, "train_ddpm")
    betas, alpha_bars = _schedule()
    X_train, X_test = moons(4000, ctx.seed + 10), moons(1000, ctx.seed + 11)
    ctx.reseed()
    model = NoiseNet()
    with ctx.report.capture() as events:
        losses = train(model, X_train, alpha_bars.clone(), TRAIN_STEPS, BATCH, LR,
                       torch.Generator().manual_seed(ctx.seed + 12), ctx.device)
    if not isinstance(losses, (list, tuple)) or len(losses) != TRAIN_STEPS:
        size = len(losses) if isinstance(losses, (list, tuple)) else type(losses).__name__
        fail(f"train_ddpm should return a list with one loss per step ({TRAIN_STEPS}); it "
             f"returned {size}.")
    expect_decreasing("losses", losses, window=100)
    sent = [e for e in events if e["kind"] == "metric" and "loss" in e["values"]]
    expect_true(len(sent) >= TRAIN_STEPS,
                f"report.metric sent `loss` {len(sent)} time(s) in {TRAIN_STEPS} steps: send "
                "it at every step, report.metric(step=step, loss=loss.item()).")
    model.eval()
    samples = p_sample_loop(model, betas, (1000, 2), torch.Generator().manual_seed(99),
                            ctx.device).cpu()
    expect_true(torch.isfinite(samples).all(), "Sampling from your trained model gave NaN or "
                "infinite points: training diverged.")
    score = chamfer(samples, X_test)
    points = torch.cat([X_test[:500], samples[:500]])
    ctx.report.plot("check: samples", points[:, 1], points[:, 0], kind="scatter",
                    labels=[0] * 500 + [1] * 500,
                    title=f"held-out moons (0) and samples after {TRAIN_STEPS} steps (1)")
    expect_true(score <= MAX_CHAMFER,
                f"After {TRAIN_STEPS} training steps the samples are {score:.3g} from the "
                f"held-out moons (Chamfer distance); the check allows {MAX_CHAMFER:g}. Does "
                "train_ddpm draw a fresh random minibatch at every step, and take one Adam "
                "step (zero_grad, backward, step) on ddpm_loss with the given learning rate?")


def check(learner, ctx):
    torch.set_grad_enabled(True)
    _check_loss(learner, ctx)
    _check_training(learner, ctx)
