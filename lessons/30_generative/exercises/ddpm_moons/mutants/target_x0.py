"""Mutant: the loss compares the prediction with the clean data x0 instead of the noise.

A small DDPM trained on two moons.

The network learns to predict the noise that was mixed into a data point; the sampler of the
previous exercise then turns pure noise into new points, one denoising step at a time.
"""

import math

import torch
import torch.nn.functional as F
from sklearn.datasets import make_moons
from torch import nn

from homl_tui import report
from homl_tui.runtime.device import default_device

T = 100
BETA_START, BETA_END = 1e-3, 0.2
HIDDEN = 128
STEPS = 3000          # the check trains for 3,000 steps; 10,000 gives crisper moons
BATCH_SIZE = 128
LR = 2e-3


# ---- Done for you: data, schedule, forward jump, sampler, network, score. ----

def moons(n, seed):
    """n points of scikit-learn's two moons (noise 0.05), roughly standardised, as float32."""
    X, _ = make_moons(n, noise=0.05, random_state=seed)
    return torch.tensor((X - [0.5, 0.25]) / [0.87, 0.5], dtype=torch.float32)


def linear_beta_schedule(T, beta_start=1e-4, beta_end=0.02):
    betas = torch.linspace(beta_start, beta_end, T, dtype=torch.float32)
    alphas = 1.0 - betas
    return betas, alphas, torch.cumprod(alphas, dim=0)


def q_sample(x0, t, alpha_bars, noise):
    ab = alpha_bars.to(x0.device)[t].reshape(-1, *([1] * (x0.dim() - 1)))
    return ab.sqrt() * x0 + (1.0 - ab).sqrt() * noise


@torch.no_grad()
def p_sample_loop(model, betas, shape, generator=None, device="cpu"):
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


class NoiseNet(nn.Module):
    """eps_hat = net([x_t, sin/cos features of t]): an MLP told which step it is at."""

    def __init__(self, dim=2, hidden=HIDDEN, time_features=16):
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


def chamfer(a, b):
    """Mean distance from each point of a to its nearest point of b, plus the same from b to a:
    small when the samples sit on the data AND cover all of it."""
    d = torch.cdist(a.float().cpu(), b.float().cpu())
    return (d.min(dim=1).values.mean() + d.min(dim=0).values.mean()).item()


# ---- This exercise. ----

def ddpm_loss(model, x0, alpha_bars, generator=None):
    """The DDPM training loss on a batch x0: pick a random step per example, noise the batch
    to those steps in one jump, and score the model's noise prediction with the MSE."""
    T = len(alpha_bars)
    t = torch.randint(0, T, (x0.shape[0],), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator).to(x0.device)
    x_t = q_sample(x0, t, alpha_bars, noise)
    return F.mse_loss(model(x_t, t), x0)


def train_ddpm(model, X, alpha_bars, steps=STEPS, batch_size=BATCH_SIZE, lr=LR,
               generator=None, device=None):
    """Adam on ddpm_loss over random minibatches of X; stream the loss at every step;
    return the list of losses."""
    device = device or default_device()
    model.to(device)
    alpha_bars = alpha_bars.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for step in range(steps):
        idx = torch.randint(0, len(X), (batch_size,), generator=generator)
        loss = ddpm_loss(model, X[idx].to(device), alpha_bars, generator)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        report.metric(step=step, loss=losses[-1])
        if (step + 1) % 100 == 0 or step == steps - 1:
            report.progress(step + 1, steps)
    return losses


if __name__ == "__main__":
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    device = default_device()
    betas, alphas, alpha_bars = linear_beta_schedule(T, BETA_START, BETA_END)
    X_train, X_test = moons(4000, seed=0), moons(1000, seed=1)
    model = NoiseNet()
    losses = train_ddpm(model, X_train, alpha_bars, generator=g, device=device)
    samples = p_sample_loop(model.eval(), betas, (1000, 2), g, device).cpu()
    noise = torch.randn(1000, 2, generator=g)
    print(f"final loss {sum(losses[-100:]) / 100:.3f} (mean of the last 100 steps)")
    print(f"chamfer distance to held-out moons: samples {chamfer(samples, X_test):.3f}, "
          f"pure noise {chamfer(noise, X_test):.3f}, "
          f"another draw of real moons {chamfer(moons(1000, seed=2), X_test):.3f}")
    points = torch.cat([X_test[:500], samples[:500]])
    report.plot("samples", points[:, 1], points[:, 0], kind="scatter",
                labels=[0] * 500 + [1] * 500, title="held-out moons (0) and DDPM samples (1)")
