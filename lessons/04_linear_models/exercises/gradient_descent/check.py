"""Check learning_schedule and gradient_descent: stochastic, mini-batch and batch GD must all
reach the normal-equation solution, stream the loss at every step, and reshuffle every epoch.

Data: m = 300 examples, 3 standard-normal features, noise 0.5. Runs (batch size, epochs, t0, t1):
SGD (1, 20, 5, 50), mini-batch (32, 50, 5, 50), batch (300, 100, 100, 500).
Largest |theta - theta_normal_equation| of the reference over 10 seeds (0-9):
SGD 0.0025-0.0051, mini-batch 0.0018-0.0071, batch below 1e-6. We allow 0.03, 0.03 and 0.001.
Shuffling: the correlation between the step-to-step changes of the batch losses in the last
two SGD epochs is -0.11 to 0.09 for the reference (fresh order every epoch), about 1 when the
order repeats; we fail above 0.5. The whole check runs in about 0.3 s after the imports.
"""

import math

import numpy as np

from homl_tui.checks import (
    CheckFailed,
    expect_close,
    expect_decreasing,
    expect_true,
    fail,
    require_function,
)

M, N, NOISE = 300, 3, 0.5
RUNS = [  # name, batch size, epochs, t0, t1, tolerance on theta
    ("stochastic GD", 1, 20, 5.0, 50.0, 0.03),
    ("mini-batch GD", 32, 50, 5.0, 50.0, 0.03),
    ("batch GD", M, 100, 100.0, 500.0, 1e-3),
]


def _problem(rng):
    X = rng.normal(size=(M, N))
    theta = rng.uniform(-4, 4, N + 1)
    y = theta[0] + X @ theta[1:] + rng.normal(0, NOISE, M)
    best, *_ = np.linalg.lstsq(np.column_stack([np.ones(M), X]), y, rcond=None)
    return X, y, best


def _check_schedule(schedule):
    for t0, t1 in ((5.0, 50.0), (1.0, 10.0)):
        got = [schedule(t, t0, t1) for t in (0, 1, 10, 1000)]
        if len({round(float(g), 12) for g in got}) == 1:
            fail("learning_schedule returns the same rate at every step t: it must shrink as "
                 "t grows, t0 / (t + t1).")
        expect_close(f"learning_schedule(t, t0={t0:g}, t1={t1:g}) for t = 0, 1, 10, 1000",
                     np.asarray(got, dtype=float), [t0 / (t + t1) for t in (0, 1, 10, 1000)])


def _run(fn, ctx, X, y, name, batch_size, epochs, t0, t1):
    where = f"{name} (batch_size={batch_size}, {epochs} epochs, t0={t0:g}, t1={t1:g})"
    ctx.reseed()
    with ctx.report.capture() as events, np.errstate(all="ignore"):
        out = fn(X.copy(), y.copy(), batch_size, epochs, ctx.rng(7), t0, t1)
    if not isinstance(out, tuple) or len(out) != 2:
        fail("gradient_descent should return (theta, losses); it returned a "
             f"{type(out).__name__}.")
    theta, losses = out
    theta = np.asarray(theta, dtype=float).reshape(-1)
    try:
        losses = [float(v) for v in losses]
    except (TypeError, ValueError):
        fail("`losses` should be a list of floats, one per step.")
    if theta.shape != (N + 1,):
        fail(f"With {where}, theta has {theta.size} entries; with {N} features it needs "
             f"{N + 1}: the bias first, then one weight per feature.")
    steps = epochs * math.ceil(M / batch_size)
    if len(losses) != steps:
        fail(f"With {where}, `losses` has {len(losses)} entries, but {M} examples in batches "
             f"of {batch_size} for {epochs} epochs make {steps} steps (the last batch of an "
             "epoch may be smaller; keep it). Append one loss per step.")
    metrics = [e for e in events if e["kind"] == "metric"]
    return where, theta, losses, metrics


def _diverged(losses, scale):
    """A message if the loss curve blew up (NaN/inf, or far above the loss at theta = 0)."""
    bad = next((i for i, v in enumerate(losses) if not math.isfinite(v)), None)
    if bad is not None:
        return f"the loss grew until it became NaN or infinite (at step {bad})."
    peak = int(np.argmax(losses))
    if losses[peak] > 1e3 * scale:
        return (f"the loss grew to {losses[peak]:.3g} at step {peak}, far above the "
                f"{scale:.3g} of the starting point theta = 0.")
    try:
        expect_decreasing("losses", losses, window=50)
    except CheckFailed as exc:
        return exc.message
    return None


def _check_stream(where, losses, metrics):
    if not metrics:
        fail("gradient_descent never called report.metric, so the app cannot draw the loss "
             "curve live. Call report.metric(step=t, loss=...) at every step.")
    if len(metrics) < len(losses):
        fail(f"With {where}, report.metric was called {len(metrics)} time(s) for "
             f"{len(losses)} steps: call it at every step, inside the batch loop.")
    steps = [e["step"] for e in metrics]
    expect_true(len(set(steps)) == len(steps),
                "report.metric got the same `step` more than once: count steps over the whole "
                "run (t += 1 after every update), not within an epoch.")
    last = metrics[-1]["values"]
    value = next(iter(last.values()))
    expect_true(isinstance(value, float) and math.isclose(value, losses[-1], rel_tol=1e-6,
                                                          abs_tol=1e-9),
                "The last value sent with report.metric is not the last entry of `losses`: "
                "stream the same number you record.")


def _check_shuffle(where, losses, batch_size):
    per_epoch = math.ceil(M / batch_size)
    a = np.diff(losses[-2 * per_epoch:-per_epoch])
    b = np.diff(losses[-per_epoch:])
    if a.std() == 0 or b.std() == 0:
        return
    if np.corrcoef(a, b)[0, 1] > 0.5:
        fail(f"With {where}, the batch losses of the last two epochs follow the same pattern "
             "step by step: the examples come in the same order in every epoch. Draw a new "
             "random permutation at the start of each epoch, not once before the loop.")


def check(learner, ctx):
    schedule = require_function(learner, "learning_schedule")
    fn = require_function(learner, "gradient_descent")
    _check_schedule(schedule)

    X, y, best = _problem(ctx.rng(2024))
    scale = float(np.mean(y ** 2))
    small_batch_ok = None
    for number, (name, batch_size, epochs, t0, t1, tol) in enumerate(RUNS):
        where, theta, losses, metrics = _run(fn, ctx, X, y, name, batch_size, epochs, t0, t1)
        problem = _diverged(losses, scale)
        if problem is not None:
            if number == 0:
                fail(f"With {where}, {problem} The steps overshoot: the learning rate is too "
                     "high. Does every step use learning_schedule(t, t0, t1), with t counted "
                     "over the whole run?")
            if small_batch_ok:
                fail(f"With {where}, {problem} Yet with batch_size=1 it converged: the step "
                     "grows with the batch size. The gradient must be an average over the "
                     "batch (divided by the number of examples in the batch).")
            fail(f"With {where}: {problem}")
        if number == 0:
            _check_stream(where, losses, metrics)
            ctx.report.plot("your SGD losses", losses[:1500],
                            title="stochastic GD: batch MSE, first 5 epochs")
        err = float(np.max(np.abs(theta - best)))
        if not err <= tol:
            fail(f"With {where}, theta is off by up to {err:.3g} from the normal-equation "
                 f"solution (allowed {tol:g}). Does the gradient include the bias column, is it "
                 "averaged over the batch, and is theta updated at every step?")
        if number == 0:
            small_batch_ok = True
            _check_shuffle(where, losses, batch_size)
