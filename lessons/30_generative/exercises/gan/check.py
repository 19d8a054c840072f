"""Check gan_step and train_gan.

1. gan_step, deterministic: the check builds a generator and a discriminator (the lesson's
   architecture, seeded), copies them, and runs 3 steps of the learner's gan_step and of the
   reference on the same real batches and noise, with plain SGD (lr 0.05; Adam would magnify
   float rounding on near-zero gradients). The discriminator's two loss terms may be summed
   or averaged (both conventions are replayed). Parameters must agree to rtol 1e-4, atol 1e-5.
   When they do not, the check replays
   known mistakes (labels swapped, the saturating generator loss) to name the one that
   matches; a generator whose weights never move (a detached fake) is named directly.
2. train_gan, 1,200 steps of batch 128 on the ring of 8 Gaussians (radius 2, std 0.05),
   z_dim 2, hidden 64: metrics at every step, scatter plots while training, and the quality of
   2,000 samples: mean distance to the nearest mode and the number of modes covered (a mode is
   covered when it gets at least a quarter of its fair share of samples within 0.3).
   Reference, with the check's own seeding (networks from torch seed ctx.seed + 100, data and
   noise from generator seed ctx.seed + 101), for ctx.seed = 0..19: distance 0.263 0.269 0.294
   0.262 0.332 0.238 0.252 0.257 0.262 0.248 0.246 0.262 0.246 0.268 0.283 0.280 0.231 0.242
   0.251 0.284 (max 0.33); modes covered 7 or 8 (min 7).
   We require distance <= 0.5 and at least 5 modes. An untrained generator sits about 2 away
   from the modes. One run takes 5-8 s on a busy core.
"""

import math

import torch
import torch.nn.functional as F
from torch import nn

from homl_tui.checks import expect_true, fail, require_function

Z_DIM, HIDDEN, BATCH = 2, 64, 128
CHECK_STEPS, MAX_DISTANCE, MIN_MODES = 1200, 0.5, 5


def ring_of_gaussians(n, generator=None, modes=8, radius=2.0, std=0.05):
    k = torch.randint(0, modes, (n,), generator=generator)
    angle = 2 * math.pi * k / modes
    centres = torch.stack([radius * torch.cos(angle), radius * torch.sin(angle)], dim=1)
    return centres + std * torch.randn(n, 2, generator=generator)


def mode_report(samples, modes=8, radius=2.0, near=0.3):
    angle = 2 * math.pi * torch.arange(modes) / modes
    centres = torch.stack([radius * torch.cos(angle), radius * torch.sin(angle)], dim=1)
    dist, nearest = torch.cdist(samples.float().cpu(), centres).min(dim=1)
    counts = torch.bincount(nearest[dist < near], minlength=modes)
    return dist.mean().item(), int((counts >= 0.25 * len(samples) / modes).sum())


def make_pair(seed):
    torch.manual_seed(seed)
    G = nn.Sequential(nn.Linear(Z_DIM, HIDDEN), nn.LeakyReLU(0.2), nn.Linear(HIDDEN, HIDDEN),
                      nn.LeakyReLU(0.2), nn.Linear(HIDDEN, 2))
    D = nn.Sequential(nn.Linear(2, HIDDEN), nn.LeakyReLU(0.2), nn.Linear(HIDDEN, HIDDEN),
                      nn.LeakyReLU(0.2), nn.Linear(HIDDEN, 1))
    return G, D


def _optimizers(G, D):
    return (torch.optim.SGD(G.parameters(), lr=0.05), torch.optim.SGD(D.parameters(), lr=0.05))


def _variant_step(G, D, opt_G, opt_D, real, z, variant):
    """The standard step with a variation: the discriminator's loss averaged instead of summed
    (also right), or a known mistake, to name what a learner's step did."""
    fake = G(z)
    r, f = D(real), D(fake.detach())
    real_label, fake_label = (0.0, 1.0) if variant.startswith("swapped") else (1.0, 0.0)
    d_loss = (F.binary_cross_entropy_with_logits(r, torch.full_like(r, real_label))
              + F.binary_cross_entropy_with_logits(f, torch.full_like(f, fake_label)))
    if variant == "averaged":
        d_loss = d_loss / 2
    opt_D.zero_grad()
    d_loss.backward()
    opt_D.step()
    out = D(fake)
    if variant == "saturating":
        g_loss = -F.binary_cross_entropy_with_logits(out, torch.zeros_like(out))
    else:
        target = real_label if variant == "swapped_both" else 1.0
        g_loss = F.binary_cross_entropy_with_logits(out, torch.full_like(out, target))
    opt_G.zero_grad()
    g_loss.backward()
    opt_G.step()


def _run_steps(step_fn, seed, batches):
    G, D = make_pair(seed)
    opt_G, opt_D = _optimizers(G, D)
    outputs = [step_fn(G, D, opt_G, opt_D, real.clone(), z.clone()) for real, z in batches]
    return G, D, outputs


def _same(net_a, net_b):
    return all(torch.allclose(a.detach(), b.detach(), rtol=1e-4, atol=1e-5)
               for a, b in zip(net_a.parameters(), net_b.parameters(), strict=True))


def _check_step(learner, ctx):
    step = require_function(learner, "gan_step")
    g = torch.Generator().manual_seed(ctx.seed + 7)
    batches = [(ring_of_gaussians(64, g), torch.randn(64, Z_DIM, generator=g)) for _ in range(3)]
    G0, D0 = make_pair(ctx.seed + 8)
    try:
        G, D, outputs = _run_steps(step, ctx.seed + 8, batches)
    except NotImplementedError:
        raise
    except RuntimeError as exc:
        text = str(exc).splitlines()[0]
        if "backward through the graph a second time" in text:
            fail("gan_step raised 'Trying to backward through the graph a second time': the "
                 "discriminator's loss was built on the fake points without .detach(), so "
                 "its backward() freed the generator's part of the graph that the generator's "
                 "loss still needs. Detach the fake for the discriminator's step.")
        fail(f"gan_step raised RuntimeError: {text[:200]}")
    G_ref, D_ref, _ = _run_steps(ctx.reference.gan_step, ctx.seed + 8, batches)

    for out in outputs:
        ok = (isinstance(out, (tuple, list)) and len(out) == 2
              and all(isinstance(v, (int, float)) and math.isfinite(v) for v in out))
        expect_true(ok, "gan_step should return (d_loss, g_loss) as two finite Python floats "
                    "(use .item()).")
    if _same(G, G0):
        fail("After 3 calls of gan_step the generator's weights have not changed at all: no "
             "gradient reached them. Is the generator's loss computed on a detached fake "
             "(fake.detach() belongs in the discriminator's step only), and does it end with "
             "opt_G.zero_grad(), g_loss.backward(), opt_G.step()?")
    if _same(D, D0):
        fail("After 3 calls of gan_step the discriminator's weights have not changed: call "
             "opt_D.zero_grad(), d_loss.backward() and opt_D.step() in every step.")
    if _same(D, D_ref) and _same(G, G_ref):
        return
    variants = {name: _run_steps(
        lambda *a, name=name: _variant_step(*a, name), ctx.seed + 8, batches)
        for name in ("averaged", "swapped", "swapped_both", "saturating")}
    G_avg, D_avg, _ = variants["averaged"]
    if _same(D, D_avg) and _same(G, G_avg):
        return
    if _same(D, D_avg):
        D_ref, G_ref = D_avg, G_avg
    if _same(D, variants["swapped"][1]) or _same(D, variants["swapped_both"][1]):
        fail("The discriminator is trained with the labels swapped: it learns to call the "
             "real points fake and the generated ones real, and the generator then chases "
             "the wrong target. Real points get label 1, generated ones label 0.")
    if not _same(D, D_ref):
        fail("The discriminator's update differs from the standard one: binary cross-entropy "
             "on the logits, D(real) against ones plus D(fake.detach()) against zeros, then "
             "opt_D.zero_grad(), backward() and opt_D.step(), before the generator's update.")
    if _same(G, variants["saturating"][0]):
        fail("The generator minimises the discriminator's log-probability of being right "
             "(the original minimax loss). Its gradient vanishes exactly when the generator "
             "is bad and D is confident, so learning stalls early. Use the non-saturating "
             "loss: binary cross-entropy of D(fake) against ones.")
    fail("The generator's update differs from the standard one: after D's update, compute "
         "D(fake) with the updated discriminator (no detach), take the binary cross-entropy "
         "against ones, then opt_G.zero_grad(), backward() and opt_G.step().")


def _check_training(learner, ctx):
    train = require_function(learner, "train_gan")
    G, D = make_pair(ctx.seed + 100)
    ctx.reseed()
    with ctx.report.capture() as events:
        history = train(G, D, ring_of_gaussians, Z_DIM, CHECK_STEPS, BATCH, 1e-3,
                        torch.Generator().manual_seed(ctx.seed + 101), ctx.device)
    G.cpu()
    if not isinstance(history, dict):
        fail(f"train_gan returned a {type(history).__name__}; return the dict "
             "{'d_loss': [...], 'g_loss': [...]}.")
    for key in ("d_loss", "g_loss"):
        values = history.get(key)
        if not isinstance(values, (list, tuple)) or len(values) != CHECK_STEPS:
            size = len(values) if isinstance(values, (list, tuple)) else type(values).__name__
            fail(f"history['{key}'] should hold one number per step ({CHECK_STEPS}); it has "
                 f"{size}.")
    metrics = [e["values"] for e in events if e["kind"] == "metric"]
    both = [v for v in metrics if "d_loss" in v and "g_loss" in v]
    expect_true(len(both) >= CHECK_STEPS,
                f"report.metric sent d_loss and g_loss together {len(both)} time(s) in "
                f"{CHECK_STEPS} steps: send both at every step, so the app draws the two "
                "curves live.")
    scatters = [e for e in events if e["kind"] == "plot" and e.get("plot") == "scatter"]
    expect_true(len(scatters) >= 3,
                f"train_gan sent {len(scatters)} scatter plot(s) in {CHECK_STEPS} steps: send "
                "the generated points with report.plot(..., kind='scatter') every plot_every "
                "steps, so you can watch them move.")

    with torch.no_grad():
        samples = G(torch.randn(2000, Z_DIM, generator=torch.Generator().manual_seed(99)))
    if not torch.isfinite(samples).all():
        fail("The trained generator outputs NaN or infinite points: training diverged.")
    distance, covered = mode_report(samples)
    ctx.report.plot("check: samples", samples[:, 1], samples[:, 0], kind="scatter",
                    title=f"2,000 samples after {CHECK_STEPS} steps of the check's training")
    expect_true(distance <= MAX_DISTANCE,
                f"After {CHECK_STEPS} steps the generated points are on average {distance:.3g} "
                f"from the nearest mode; the check allows {MAX_DISTANCE:g}. Does train_gan "
                "draw a fresh real batch and fresh noise at every step, and call gan_step "
                "with Adam optimizers at the given learning rate?")
    expect_true(covered >= MIN_MODES,
                f"After {CHECK_STEPS} steps the generator covers {covered} of the 8 modes; "
                f"the check wants at least {MIN_MODES}. Collapse onto a few modes usually "
                "means the noise z is not fresh at every step.")


def check(learner, ctx):
    torch.set_grad_enabled(True)
    _check_step(learner, ctx)
    _check_training(learner, ctx)
