"""Mutant: walks t upwards, 0 to T-1, instead of from T-1 down to 0.

The DDPM sampler: from pure noise back to data, one denoising step at a time.

Given a model that predicts the noise eps in x_t, each reverse step computes

    mean = (x_t - beta_t / sqrt(1 - alpha_bar_t) * eps) / sqrt(alpha_t)
    x_{t-1} = mean + sqrt(beta_t) * z,  z ~ N(0, I)      (no noise on the very last step)

Here the "model" is a perfect denoiser, computed exactly for data that is a mixture of
Gaussians, so the sampler can be tested before any network is trained.
"""

import math

import torch
from torch import nn

from homl_tui import report
from homl_tui.runtime.device import default_device

T = 100


# ---- Done for you: the schedule (previous exercise) and a perfect noise predictor. ----

def linear_beta_schedule(T, beta_start=1e-4, beta_end=0.02):
    betas = torch.linspace(beta_start, beta_end, T, dtype=torch.float32)
    alphas = 1.0 - betas
    return betas, alphas, torch.cumprod(alphas, dim=0)


class MixtureDenoiser(nn.Module):
    """The best possible noise predictor eps(x_t, t) when the data is an equal mixture of
    Gaussians N(mean_k, std**2 I): the average noise over where x_t could have come from."""

    def __init__(self, means, std, alpha_bars):
        super().__init__()
        self.register_buffer("means", torch.as_tensor(means, dtype=torch.float32))
        self.register_buffer("alpha_bars", alpha_bars.float())
        self.std = std

    def forward(self, x, t):
        ab = self.alpha_bars[t][:, None, None]                          # (n, 1, 1)
        var = ab * self.std ** 2 + 1 - ab                               # variance of x_t
        diff = x[:, None, :] - ab.sqrt() * self.means[None]             # (n, K, d)
        weights = torch.softmax(-(diff ** 2).sum(-1) / (2 * var[..., 0]), dim=1)
        return (1 - ab[:, :, 0]).sqrt() * (weights[..., None] * diff / var).sum(dim=1)


# ---- This exercise. ----

@torch.no_grad()
def p_sample_loop(model, betas, shape, generator=None, device="cpu"):
    """Start from x_T ~ N(0, I) of the given shape and apply the T reverse steps, t = T-1 down
    to 0, calling model(x, t_batch) with t_batch a (batch,) long tensor. Return x_0."""
    betas = betas.to(device)
    alphas = 1.0 - betas
    alpha_bars = torch.cumprod(alphas, dim=0)
    x = torch.randn(shape, generator=generator).to(device)
    for t in range(len(betas)):
        t_batch = torch.full((shape[0],), t, dtype=torch.long, device=device)
        eps = model(x, t_batch)
        mean = (x - betas[t] / (1 - alpha_bars[t]).sqrt() * eps) / alphas[t].sqrt()
        if t > 0:
            x = mean + betas[t].sqrt() * torch.randn(shape, generator=generator).to(device)
        else:
            x = mean
    return x


if __name__ == "__main__":
    device = default_device()
    betas, alphas, alpha_bars = linear_beta_schedule(T, 1e-3, 0.2)
    angle = 2 * math.pi * torch.arange(8) / 8
    ring = torch.stack([2 * torch.cos(angle), 2 * torch.sin(angle)], dim=1)
    model = MixtureDenoiser(ring, 0.05, alpha_bars).to(device)
    samples = p_sample_loop(model, betas, (2000, 2), torch.Generator().manual_seed(0),
                            device).cpu()
    dist, nearest = torch.cdist(samples, ring).min(dim=1)
    print(f"mean distance to the nearest mode {dist.mean():.3f}; "
          f"points per mode {torch.bincount(nearest, minlength=8).tolist()}")
    report.plot("samples", samples[:, 1], samples[:, 0], kind="scatter",
                title="2,000 samples from a perfect denoiser")
