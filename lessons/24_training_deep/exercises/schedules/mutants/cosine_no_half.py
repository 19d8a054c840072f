"""Mutant: scales by cos(...) itself instead of (1 + cos(...)) / 2.

Learning-rate schedules as plain functions of the step number.

Each function returns the learning rate to use at step `step` (0, 1, 2, ...), with the same
conventions as PyTorch's schedulers, so the check can compare them with
torch.optim.lr_scheduler.ExponentialLR, MultiStepLR, CosineAnnealingLR and OneCycleLR.

1cycle (OneCycleLR with its defaults, cosine annealing, two phases):
    lr_start = lr_max / div_factor,   lr_end = lr_start / final_div_factor
    phase 1 (warm-up) ends at step  w = pct_start * total_steps - 1: lr_start -> lr_max
    phase 2 ends at step total_steps - 1:                             lr_max   -> lr_end
    inside a phase from `a` to `b`, with pct = fraction of the phase done (0 to 1):
        lr = b + (a - b) * (1 + cos(pi * pct)) / 2
"""

import math

import torch
from torch import nn

from homl_tui import report


def exponential_lr(step, lr0, gamma):
    """lr0 at step 0, multiplied by gamma after every step."""
    return lr0 * gamma ** step


def piecewise_lr(step, lr0, milestones, gamma):
    """lr0, multiplied by gamma at every milestone the training has reached."""
    return lr0 * gamma ** sum(1 for m in milestones if step >= m)


def cosine_lr(step, lr_max, total_steps, lr_min=0.0):
    """Half a cosine wave from lr_max at step 0 down to lr_min at step total_steps."""
    return lr_min + (lr_max - lr_min) * math.cos(math.pi * step / total_steps)


def _anneal(start, end, pct):
    """Done for you: the cosine curve from `start` (pct = 0) to `end` (pct = 1)."""
    return end + (start - end) * (1 + math.cos(math.pi * pct)) / 2


def one_cycle_lr(step, lr_max, total_steps, pct_start=0.3, div_factor=25.0,
                 final_div_factor=1e4):
    """Warm up from lr_max / div_factor to lr_max, then anneal far below the start."""
    lr_start = lr_max / div_factor
    lr_end = lr_start / final_div_factor
    warm_end = pct_start * total_steps - 1
    if step <= warm_end:
        return _anneal(lr_start, lr_max, step / warm_end)
    return _anneal(lr_max, lr_end, (step - warm_end) / (total_steps - 1 - warm_end))


def train_with(schedule, steps=300, run="run"):
    """Fit sin(3x) with a small MLP and SGD + momentum, the lr set by `schedule` at every step."""
    torch.manual_seed(0)
    x = torch.linspace(-2, 2, 256).unsqueeze(1)
    y = torch.sin(3 * x)
    model = nn.Sequential(nn.Linear(1, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(),
                          nn.Linear(64, 1))
    optimizer = torch.optim.SGD(model.parameters(), lr=schedule(0), momentum=0.9)
    for step in range(steps):
        for group in optimizer.param_groups:
            group["lr"] = schedule(step)
        loss = ((model(x) - y) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        report.metric(step=step, run=run, loss=loss.item())
    return loss.item()


if __name__ == "__main__":
    total = 100
    steps = list(range(total))
    curves = {
        "exponential (gamma 0.97)": [exponential_lr(s, 0.1, 0.97) for s in steps],
        "piecewise (x0.3 at 40, 70)": [piecewise_lr(s, 0.1, [40, 70], 0.3) for s in steps],
        "cosine": [cosine_lr(s, 0.1, total) for s in steps],
        "1cycle": [one_cycle_lr(s, 0.1, total) for s in steps],
    }
    for name, lrs in curves.items():
        print(f"{name:28s} step 0: {lrs[0]:.4g}  step 30: {lrs[30]:.4g}  step 99: {lrs[99]:.3g}")
    first, *others = curves
    report.plot("schedules", curves[first], steps, kind="line",
                overlay={name: (steps, curves[name]) for name in others},
                title=f"learning rate per step: {first} and the others",
                xlabel="step", ylabel="learning rate")

    n = 300
    for name, schedule in {
        "constant 0.05": lambda s: 0.05,
        "constant 0.2": lambda s: 0.2,
        "1cycle, peak 0.2": lambda s: one_cycle_lr(s, 0.2, n),
    }.items():
        print(f"{name:18s} final training loss {train_with(schedule, n, run=name):.4g}")
