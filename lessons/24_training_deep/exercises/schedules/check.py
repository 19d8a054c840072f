"""Check the four schedules against torch.optim.lr_scheduler, step by step.

For each configuration the check steps a real scheduler (ExponentialLR, MultiStepLR,
CosineAnnealingLR, OneCycleLR with cycle_momentum=False) and records the optimizer's lr
before every step; your function must give the same lr at every step (rtol 1e-6). The
reference matches to about 1e-15. Cheap: well under a second.
"""

import math

import torch
from torch.optim import lr_scheduler

from homl_tui.checks import fail, require_function

RTOL, ATOL = 1e-6, 1e-12


def _torch_lrs(make, n, lr):
    param = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([param], lr=lr)
    scheduler = make(optimizer)
    lrs = []
    for _ in range(n):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return lrs


def _values(fn, name, args_for, n):
    out = []
    for step in range(n):
        value = fn(step, *args_for)
        try:
            out.append(float(value))
        except (TypeError, ValueError):
            fail(f"{name}(step={step}, ...) returned a {type(value).__name__}; it should return "
                 "one number, the learning rate at that step.")
    return out


def _same(a, b):
    return all(math.isclose(x, y, rel_tol=RTOL, abs_tol=ATOL) for x, y in zip(a, b, strict=True))


def _first_gap(got, want):
    return next(i for i, (x, y) in enumerate(zip(got, want, strict=True))
                if not math.isclose(x, y, rel_tol=RTOL, abs_tol=ATOL))


def _compare(name, call, got, want, diagnose):
    if _same(got, want):
        return
    step = _first_gap(got, want)
    message = diagnose(got, want, step)
    fail(f"{call}: {message}" if message else
         f"{call}: your learning rate differs from PyTorch's scheduler from step {step} on "
         f"(it is {got[step]:.6g} there).")


def _exponential(fn):
    for lr0, gamma, n in ((0.1, 0.9, 30), (2.0, 0.5, 12)):
        got = _values(fn, "exponential_lr", (lr0, gamma), n)
        want = _torch_lrs(lambda o, g=gamma: lr_scheduler.ExponentialLR(o, g), n, lr0)

        def diagnose(got, want, step, lr0=lr0, gamma=gamma):
            if _same(got[:-1], want[1:]):
                return ("your schedule is one step ahead: the lr at step 0 is already "
                        "decayed. Step 0 must use the initial lr; the first decay comes after "
                        "the first step (gamma ** step).")
            if _same(got[1:], want[:-1]):
                return "your schedule is one step behind: the decay starts a step too late."
            return None

        _compare("exponential_lr", f"exponential_lr(step, lr0={lr0}, gamma={gamma})", got,
                 want, diagnose)


def _piecewise(fn):
    for lr0, milestones, gamma, n in ((0.1, [10, 25], 0.5, 40), (1.0, [1, 3, 4], 0.1, 8)):
        got = _values(fn, "piecewise_lr", (lr0, list(milestones), gamma), n)
        want = _torch_lrs(lambda o, m=milestones, g=gamma: lr_scheduler.MultiStepLR(o, m, g),
                          n, lr0)

        def diagnose(got, want, step, milestones=milestones):
            if step in milestones:
                if got[step] > want[step]:
                    return (f"the lr should already drop AT the milestone step {step}, but "
                            "yours drops one step later: a milestone m counts from step m on "
                            "(>=, not >).")
                return (f"your lr drops one step before the milestone {step + 1}: a "
                        "milestone m counts from step m on.")
            return None

        _compare("piecewise_lr", f"piecewise_lr(step, lr0={lr0}, milestones={milestones}, "
                 f"gamma={gamma})", got, want, diagnose)


def _cosine(fn):
    for lr_max, total, lr_min in ((0.1, 50, 0.0), (0.5, 20, 0.01)):
        got = _values(fn, "cosine_lr", (lr_max, total, lr_min), total + 1)
        want = _torch_lrs(lambda o, t=total, m=lr_min: lr_scheduler.CosineAnnealingLR(
            o, T_max=t, eta_min=m), total + 1, lr_max)

        def diagnose(got, want, step, lr_min=lr_min):
            if min(got) < lr_min - 1e-12:
                return ("your lr goes below lr_min (it even turns negative): cos(...) runs "
                        "from 1 to -1, so it must be mapped to the range 0 to 1 with "
                        "(1 + cos(...)) / 2 before it scales lr_max - lr_min.")
            if not math.isclose(got[-1], want[-1], rel_tol=RTOL, abs_tol=ATOL):
                return ("at step total_steps the lr should have reached lr_min: the cosine "
                        "should cover half a period (angle pi * step / total_steps).")
            return None

        _compare("cosine_lr", f"cosine_lr(step, lr_max={lr_max}, total_steps={total}, "
                 f"lr_min={lr_min})", got, want, diagnose)


def _one_cycle(fn):
    for lr_max, total, pct, div, final in ((0.1, 100, 0.3, 25.0, 1e4),
                                          (1.0, 37, 0.25, 10.0, 100.0)):
        got = _values(fn, "one_cycle_lr", (lr_max, total, pct, div, final), total)
        want = _torch_lrs(lambda o, a=(lr_max, total, pct, div, final): lr_scheduler.OneCycleLR(
            o, max_lr=a[0], total_steps=a[1], pct_start=a[2], div_factor=a[3],
            final_div_factor=a[4], cycle_momentum=False), total, lr_max)

        def diagnose(got, want, step):
            if not math.isclose(got[0], want[0], rel_tol=RTOL):
                return ("the first step should use lr_max / div_factor: 1cycle starts low and "
                        "warms up.")
            if math.isclose(got[-1], want[0], rel_tol=1e-3):
                return ("your schedule ends where it started, at lr_max / div_factor; 1cycle "
                        "ends much lower, at that value divided again by final_div_factor.")
            if not math.isclose(max(got), max(want), rel_tol=1e-6):
                return "the peak of your schedule is not lr_max."
            return None

        _compare("one_cycle_lr", f"one_cycle_lr(step, lr_max={lr_max}, total_steps={total}, "
                 f"pct_start={pct}, div_factor={div:g}, final_div_factor={final:g})", got, want,
                 diagnose)


def check(learner, ctx):
    fns = {name: require_function(learner, name)
           for name in ("exponential_lr", "piecewise_lr", "cosine_lr", "one_cycle_lr")}
    _exponential(fns["exponential_lr"])
    _piecewise(fns["piecewise_lr"])
    _cosine(fns["cosine_lr"])
    _one_cycle(fns["one_cycle_lr"])
    steps = list(range(100))
    ctx.report.plot("your 1cycle and cosine (check)",
                    [float(fns["one_cycle_lr"](s, 0.1, 100)) for s in steps], steps,
                    kind="line", overlay={"cosine": (steps, [float(fns["cosine_lr"](s, 0.1, 100))
                                                             for s in steps])},
                    title="1cycle (lr_max 0.1, 100 steps) and cosine", xlabel="step",
                    ylabel="learning rate")
