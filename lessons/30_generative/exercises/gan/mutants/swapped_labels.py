"""Mutant: the discriminator is trained with real labelled 0 and fake labelled 1.

A GAN on 2-D data: a ring of eight Gaussians.

The generator G turns noise z into points; the discriminator D scores points with a logit
(high = "looks real"). Each training step updates D to tell real from fake, then G to fool
the updated D. Press Run to watch the generated points (label 1) find the eight modes.
"""

import math

import torch
import torch.nn.functional as F
from torch import nn

from homl_tui import report
from homl_tui.runtime.device import default_device

Z_DIM = 2
HIDDEN = 64
STEPS = 3000        # the check trains for 1,200 steps; 3,000 gives tighter modes
BATCH_SIZE = 128
LR = 1e-3


# ---- Done for you: the data and the two networks. ----

def ring_of_gaussians(n, generator=None, modes=8, radius=2.0, std=0.05):
    """n points (n, 2): a mode picked uniformly at random, plus Gaussian noise of `std`."""
    k = torch.randint(0, modes, (n,), generator=generator)
    angle = 2 * math.pi * k / modes
    centres = torch.stack([radius * torch.cos(angle), radius * torch.sin(angle)], dim=1)
    return centres + std * torch.randn(n, 2, generator=generator)


def mode_centres(modes=8, radius=2.0):
    angle = 2 * math.pi * torch.arange(modes) / modes
    return torch.stack([radius * torch.cos(angle), radius * torch.sin(angle)], dim=1)


def make_generator(z_dim=Z_DIM, hidden=HIDDEN):
    return nn.Sequential(nn.Linear(z_dim, hidden), nn.LeakyReLU(0.2),
                         nn.Linear(hidden, hidden), nn.LeakyReLU(0.2),
                         nn.Linear(hidden, 2))


def make_discriminator(hidden=HIDDEN):
    """Outputs one logit per point, shape (n, 1): no sigmoid, use the *_with_logits loss."""
    return nn.Sequential(nn.Linear(2, hidden), nn.LeakyReLU(0.2),
                         nn.Linear(hidden, hidden), nn.LeakyReLU(0.2),
                         nn.Linear(hidden, 1))


def mode_report(samples, modes=8, radius=2.0, near=0.3):
    """(mean distance of the samples to their nearest mode centre, number of modes that
    received at least a quarter of their fair share of samples within `near`)."""
    dist, nearest = torch.cdist(samples.float().cpu(), mode_centres(modes, radius)).min(dim=1)
    counts = torch.bincount(nearest[dist < near], minlength=modes)
    return dist.mean().item(), int((counts >= 0.25 * len(samples) / modes).sum())


# ---- This exercise. ----

def gan_step(G, D, opt_G, opt_D, real, z):
    """One training step: update D on real and fake points, then G against the updated D.
    Return (d_loss, g_loss) as floats."""
    fake = G(z)

    # Discriminator: real points are labelled 1, fake ones 0. The fake is detached, so this
    # step does not compute gradients for G.
    real_logits, fake_logits = D(real), D(fake.detach())
    d_loss = (F.binary_cross_entropy_with_logits(real_logits, torch.zeros_like(real_logits))
              + F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits)))
    opt_D.zero_grad()
    d_loss.backward()
    opt_D.step()

    # Generator: make the (updated) discriminator call the fakes real. Non-saturating loss.
    fooled = D(fake)
    g_loss = F.binary_cross_entropy_with_logits(fooled, torch.ones_like(fooled))
    opt_G.zero_grad()
    g_loss.backward()
    opt_G.step()
    return d_loss.item(), g_loss.item()


def train_gan(G, D, sample_real, z_dim=Z_DIM, steps=STEPS, batch_size=BATCH_SIZE, lr=LR,
              generator=None, device=None, plot_every=100):
    """Train G and D with Adam (betas 0.5, 0.999); stream d_loss and g_loss at every step and
    a scatter of real and generated points every `plot_every` steps. Return the losses as
    {"d_loss": [...], "g_loss": [...]}."""
    device = device or default_device()
    G.to(device)
    D.to(device)
    opt_G = torch.optim.Adam(G.parameters(), lr=lr, betas=(0.5, 0.999))
    opt_D = torch.optim.Adam(D.parameters(), lr=lr, betas=(0.5, 0.999))
    fixed_z = torch.randn(500, z_dim, generator=generator).to(device)
    shown = sample_real(500, generator)
    history = {"d_loss": [], "g_loss": []}
    for step in range(steps):
        real = sample_real(batch_size, generator).to(device)
        z = torch.randn(batch_size, z_dim, generator=generator).to(device)
        d_loss, g_loss = gan_step(G, D, opt_G, opt_D, real, z)
        history["d_loss"].append(d_loss)
        history["g_loss"].append(g_loss)
        report.metric(step=step, d_loss=d_loss, g_loss=g_loss)
        if step % plot_every == 0 or step == steps - 1:
            with torch.no_grad():
                fake = G(fixed_z).cpu()
            points = torch.cat([shown, fake])
            labels = [0] * len(shown) + [1] * len(fake)
            report.plot("samples", points[:, 1], points[:, 0], kind="scatter", labels=labels,
                        title=f"real (0) and generated (1) points, step {step}")
            report.progress(step + 1, steps)
    return history


if __name__ == "__main__":
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    G, D = make_generator(), make_discriminator()
    history = train_gan(G, D, ring_of_gaussians, generator=g)
    with torch.no_grad():
        samples = G(torch.randn(2000, Z_DIM, generator=g).to(default_device())).cpu()
    distance, covered = mode_report(samples)
    print(f"after {STEPS} steps: d_loss {history['d_loss'][-1]:.3f}, "
          f"g_loss {history['g_loss'][-1]:.3f}")
    print(f"mean distance to the nearest mode {distance:.3f}; {covered} of 8 modes covered")
