"""Check train: it recovers known weights, streams its loss at every step, and the learner's
LEARNING_RATE converges within the epoch budget.

Data: w = [2, -3.4], b = 4.2, n = 1000, noise 0.01, batch size 10 (100 steps per epoch).
Thresholds, from the reference on 20 seeds (1000-1019):
- lr = 0.03 for 3 epochs: largest weight/bias error median 0.00077, max 0.0013; we allow 0.02.
- LEARNING_RATE for 2 epochs: errors (median / max) are 0.029 / 0.039 at lr = 0.025,
  0.011 / 0.015 at 0.03, 0.0008 / 0.0016 at 0.1, 0.011 / 0.038 at 1.5; 1.8 diverges on some
  seeds and 2 on all. We allow 0.05, so rates from about 0.03 to 1.5 pass.
One run of train takes about 30 ms, so the whole check takes well under a second
after the imports.
"""

import math

import torch

from homl_tui.checks import CheckFailed, expect_decreasing, expect_true, fail, require_function

TRUE_W = [2.0, -3.4]
TRUE_B = 4.2
N, NOISE, BATCH = 1000, 0.01, 10
CHECK_LR, CHECK_EPOCHS, CHECK_TOL = 0.03, 3, 0.02
BUDGET_EPOCHS, BUDGET_TOL = 2, 0.05


class Recorder:
    """What one training run streamed: report.metric and report.progress calls, in order."""

    def __init__(self, events):
        self.metrics = [(e["step"], e["values"]) for e in events if e["kind"] == "metric"]
        self.progress = [(float(e["done"]), float(e["total"]))
                         for e in events if e["kind"] == "progress"]


def _data(seed):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(N, len(TRUE_W), generator=g)
    y = X @ torch.tensor(TRUE_W) + TRUE_B + NOISE * torch.randn(N, generator=g)
    return X, y


def _train(train, ctx, lr, epochs):
    X, y = _data(ctx.seed + 2024)
    ctx.reseed()
    g = torch.Generator().manual_seed(ctx.seed + 1)
    with ctx.report.capture() as events:
        out = train(X, y, lr, epochs, BATCH, g)
    rec = Recorder(events)
    if not isinstance(out, tuple) or len(out) != 3:
        fail(f"`train` should return (w, b, losses); it returned a {type(out).__name__}.")
    w, b, losses = out
    try:
        w = torch.as_tensor(w, dtype=torch.float64).detach().reshape(-1)
        b = float(torch.as_tensor(b).detach().reshape(-1)[0])
        losses = [float(v.detach() if hasattr(v, "detach") else v) for v in losses]
    except (TypeError, ValueError, RuntimeError, IndexError):
        fail("`train` should return w (a tensor of d weights), b (one number) and losses "
             "(a list of floats, one per step); one of them is not of that kind.")
    if w.numel() != len(TRUE_W):
        fail(f"The returned w has {w.numel()} entries; the data has {len(TRUE_W)} features.")
    return w, b, losses, rec


def _error(w, b):
    errors = (w - torch.tensor(TRUE_W, dtype=torch.float64)).abs().tolist() + [abs(b - TRUE_B)]
    return max(errors) if all(math.isfinite(e) for e in errors) else math.inf


def _check_loop(train, ctx):
    steps = CHECK_EPOCHS * math.ceil(N / BATCH)
    w, b, losses, rec = _train(train, ctx, CHECK_LR, CHECK_EPOCHS)
    where = f"(lr={CHECK_LR}, {CHECK_EPOCHS} epochs, batch size {BATCH})"
    expect_true(len(losses) == steps,
                f"`losses` has {len(losses)} entries, but training {where} takes {steps} "
                "minibatch steps: append loss.item() once per step.")
    try:
        expect_decreasing("losses", losses, window=20)
    except CheckFailed as exc:
        fail(f"With the check's small learning rate {where}: {exc.message} Since this rate is "
             "safe, look for steps that are too big or wrong: is the loss a mean, are the "
             "gradients zeroed, is the update a subtraction?")
    err = _error(w, b)
    if err > CHECK_TOL:
        fail(f"After training {where} the learned weights or bias are off by up to {err:.3g} "
             "from the ones that generated the data. Is every parameter updated at every step "
             "(w and b), starting from requires_grad=True tensors?")

    with_loss = [(s, v) for s, v in rec.metrics if "loss" in v]
    if not rec.metrics:
        fail("Training never called report.metric, so the app cannot draw the loss curve. "
             "Call report.metric(step=step, loss=loss.item()) once per step.")
    if not with_loss:
        fail("report.metric was called, but never with a value named `loss`: call "
             "report.metric(step=step, loss=loss.item()).")
    if len(with_loss) < steps:
        fail(f"report.metric sent the loss {len(with_loss)} time(s) during {steps} training "
             "steps: call it at every step, inside the minibatch loop, so the curve updates "
             "live.")
    step_values = [s for s, _ in with_loss]
    if None not in step_values:
        expect_true(len(set(step_values)) == len(step_values),
                    "report.metric got the same `step` more than once: count minibatch steps "
                    "across epochs (step += 1 after every update), not batches within an epoch.")
    reported = float(with_loss[-1][1]["loss"])  # a float, or "nan"/"inf" for non-finite values
    expect_true(math.isclose(reported, losses[-1], rel_tol=1e-4, abs_tol=1e-6),
                "The last loss sent with report.metric is not the last entry of `losses`: "
                "report the same number you record.")
    expect_true(rec.progress, "Training never called report.progress: call "
                "report.progress(epoch + 1, epochs) at the end of every epoch.")
    done, total = rec.progress[-1]
    expect_true(done == total, f"The last report.progress call was ({done:g}, {total:g}): "
                "at the end of training, done should equal total.")


def _check_learning_rate(train, learner, ctx):
    lr = getattr(learner, "LEARNING_RATE", None)
    if isinstance(lr, bool) or not isinstance(lr, (int, float)):
        fail("Set LEARNING_RATE (at the top of the file) to a number: the rate you picked.")
    if not lr > 0:
        fail(f"LEARNING_RATE is {lr}; a learning rate must be a positive number.")
    w, b, losses, _ = _train(train, ctx, lr, BUDGET_EPOCHS)
    where = f"LEARNING_RATE = {lr:g} ({BUDGET_EPOCHS} epochs, batch size {BATCH})"
    try:
        expect_decreasing("losses", losses, window=20)
    except CheckFailed as exc:
        fail(f"With {where}: {exc.message} Pick a smaller LEARNING_RATE.")
    err = _error(w, b)
    if err <= BUDGET_TOL:
        return
    last, before = sum(losses[-20:]) / 20, sum(losses[-40:-20]) / 20
    if last < 0.9 * before:
        fail(f"With {where} the weights are still off by up to {err:.3g}, and the loss was "
             "still falling when training stopped: the learning rate is too small to "
             "converge in this budget. Try a larger one.")
    fail(f"With {where} the weights are still off by up to {err:.3g}, and the loss stopped "
         "improving while bouncing: the learning rate is too high, each step overshoots. "
         "Try a smaller one.")


def check(learner, ctx):
    train = require_function(learner, "train")
    torch.set_grad_enabled(True)
    _check_loop(train, ctx)
    _check_learning_rate(train, learner, ctx)
