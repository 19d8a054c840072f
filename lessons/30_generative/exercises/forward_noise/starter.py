"""The forward (noising) process of a DDPM, in closed form.

One step of noising: x_t = sqrt(1 - beta_t) * x_{t-1} + sqrt(beta_t) * eps.
Many steps at once:  x_t = sqrt(alpha_bar_t) * x_0 + sqrt(1 - alpha_bar_t) * eps,
with alpha_t = 1 - beta_t and alpha_bar_t = alpha_1 * alpha_2 * ... * alpha_t.

Indices are 0-based here: t = 0 .. T-1, and index t means "after t + 1 noising steps".

Press Run to see the schedule and the moons dissolve into noise; Check to test both functions.
"""

import torch
from sklearn.datasets import make_moons

from homl_tui import report


def linear_beta_schedule(T, beta_start=1e-4, beta_end=0.02):
    """(betas, alphas, alpha_bars), three float32 tensors of shape (T,): betas go linearly
    from beta_start to beta_end, alphas = 1 - betas, alpha_bars = their running product."""
    # TODO 1: betas: T values evenly spaced from beta_start to beta_end (torch.linspace,
    #         dtype=torch.float32).
    # TODO 2: alphas = 1 - betas; alpha_bars = the running product of the alphas
    #         (torch.cumprod along dim 0).
    # TODO 3: return betas, alphas, alpha_bars
    raise NotImplementedError("linear_beta_schedule: fill in the TODOs")


def q_sample(x0, t, alpha_bars, noise):
    """Noise a batch x0 (batch, ...) straight to the steps t (a (batch,) integer tensor) with
    the given standard normal noise (same shape as x0)."""
    # TODO 4: pick alpha_bar for each example: alpha_bars[t] has shape (batch,). Reshape it
    #         to (batch, 1, ..., 1), with as many 1s as x0 has axes after the batch axis,
    #         so it scales each example (row) of x0. (alpha_bars.to(x0.device) first.)
    # TODO 5: return sqrt(alpha_bar) * x0 + sqrt(1 - alpha_bar) * noise
    raise NotImplementedError("q_sample: fill in the TODOs")


if __name__ == "__main__":
    T = 100
    betas, alphas, alpha_bars = linear_beta_schedule(T, 1e-3, 0.2)
    print(f"T={T}: alpha_bar after 1 step {alpha_bars[0]:.4f}, after 10 {alpha_bars[9]:.4f}, "
          f"after {T} {alpha_bars[-1]:.2e}")
    steps = torch.arange(T)
    report.plot("schedule", alpha_bars.sqrt(), steps, kind="line",
                title="signal kept: sqrt(alpha_bar_t)", xlabel="t",
                overlay={"noise sqrt(1 - alpha_bar_t)": (steps, (1 - alpha_bars).sqrt())})

    g = torch.Generator().manual_seed(0)
    X, _ = make_moons(1000, noise=0.05, random_state=0)
    x0 = torch.tensor(X, dtype=torch.float32)
    for step in (10, 30, 99):
        t = torch.full((len(x0),), step)
        xt = q_sample(x0, t, alpha_bars, torch.randn(x0.shape, generator=g))
        mean, std = [round(v, 3) for v in xt.mean(0).tolist()], [round(v, 3) for v in xt.std(0).tolist()]
        print(f"t={step:>2}: mean {mean}, std {std}")
        report.plot(f"moons at t={step}", xt[:, 1], xt[:, 0], kind="scatter",
                    title=f"the moons noised to t={step}")
