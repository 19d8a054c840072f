"""Check evaluate and train: a standard optimisation step per batch, fresh gradients at every
step, train/eval modes switched at the right times, validation on val_loader, a per-example
mean for val_loss, and the live stream (loss at every step, val_loss and progress per epoch).

Two runs, both tiny (a few milliseconds of compute):
- A linear model on linear data (120 training rows in batches of 16, 50 validation rows in
  batches of 16, SGD lr 0.05, 3 epochs). It has no dropout, so the loop is deterministic: the
  final parameters must match the reference loop's at rtol 1e-4, atol 1e-5, and the last
  val_loss must be the per-example mean of the final model's loss on the validation set.
  Gradient hooks see whether .grad held anything before each backward() added to it.
- A network with dropout, wrapped in a probe that records, for each forward pass, whether it
  came from a training or a validation batch and whether the model was in training mode.
"""

import copy
import math

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from homl_tui.checks import expect_true, fail, require_function

EPOCHS = 3


class Phase:
    current = None


class SpyLoader:
    """A DataLoader stand-in that counts its passes and marks where each batch came from."""

    def __init__(self, loader, name, phase):
        self.loader, self.name, self.phase = loader, name, phase
        self.passes = 0

    def __iter__(self):
        self.passes += 1
        for batch in self.loader:
            self.phase.current = self.name
            yield batch

    def __len__(self):
        return len(self.loader)

    @property
    def dataset(self):
        return self.loader.dataset

    @property
    def batch_size(self):
        return self.loader.batch_size


class Probe(nn.Module):
    def __init__(self, net, phase):
        super().__init__()
        self.net = net
        self.phase = phase
        self.calls = []

    def forward(self, x):
        self.calls.append((self.phase.current, self.training))
        return self.net(x)


def _linear_data(seed):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(170, 5, generator=g)
    y = X @ torch.tensor([1.0, -2.0, 0.5, 0.0, 3.0]) + 0.7 + 0.1 * torch.randn(170, generator=g)
    return TensorDataset(X[:120], y[:120]), TensorDataset(X[120:], y[120:])


def _loaders(train_set, val_set, seed, phase=None):
    train = DataLoader(train_set, batch_size=16, shuffle=True,
                       generator=torch.Generator().manual_seed(seed))
    val = DataLoader(val_set, batch_size=16)
    if phase is None:
        return train, val
    return SpyLoader(train, "train", phase), SpyLoader(val, "val", phase)


def _check_history(history, epochs):
    if not isinstance(history, dict):
        fail(f"`train` returned a {type(history).__name__}; return the dict `history` with "
             "the lists 'train_loss' and 'val_loss'.")
    for key in ("train_loss", "val_loss"):
        values = history.get(key)
        if not isinstance(values, (list, tuple)) or len(values) != epochs:
            size = len(values) if isinstance(values, (list, tuple)) else type(values).__name__
            fail(f"history['{key}'] should hold one number per epoch ({epochs}); it has {size}.")
        if not all(isinstance(v, (int, float)) and math.isfinite(v) for v in values):
            fail(f"history['{key}'] should hold finite Python floats (use loss.item()).")


def _check_loaders(train_loader, val_loader, epochs):
    if val_loader.passes == 0 and train_loader.passes >= 2 * epochs:
        fail("val_loader was never used, and train_loader was read twice per epoch: the model "
             "is scored on its own training data, which says nothing about new data. Evaluate "
             "on val_loader.")
    expect_true(val_loader.passes > 0, "val_loader was never used: score the model on it "
                "with evaluate(...) at the end of every epoch.")
    expect_true(train_loader.passes == epochs,
                f"train_loader was read {train_loader.passes} time(s) in {epochs} epochs; it "
                "should be one pass per epoch.")
    expect_true(val_loader.passes == epochs,
                f"val_loader was read {val_loader.passes} time(s) in {epochs} epochs; evaluate "
                "once per epoch, after training on that epoch's batches.")


def _fresh_gradient_hooks(model, log):
    handles = []
    for p in model.parameters():
        def on_grad(grad, p=p):
            log["fresh"][id(p)] = grad.detach().clone()

        def after(param):
            fresh = log["fresh"].pop(id(param), None)
            if fresh is not None and not torch.allclose(param.grad, fresh, rtol=1e-6, atol=1e-7):
                log["stale"] += 1
            log["backwards"][id(param)] = log["backwards"].get(id(param), 0) + 1
        handles.append(p.register_hook(on_grad))
        handles.append(p.register_post_accumulate_grad_hook(after))
    return handles


def _val_loss(model, val_set):
    X, y = val_set.tensors
    with torch.no_grad():
        return float(nn.functional.mse_loss(model.cpu()(X), y))


def _mean_of_batch_means(model, val_set):
    with torch.no_grad():
        losses = [float(nn.functional.mse_loss(model(X), y))
                  for X, y in DataLoader(val_set, batch_size=16)]
    return sum(losses) / len(losses)


def _check_loop(learner, ctx):
    train = require_function(learner, "train")
    train_set, val_set = _linear_data(ctx.seed + 21)
    torch.manual_seed(ctx.seed + 22)
    model = nn.Sequential(nn.Linear(5, 1), nn.Flatten(0))
    reference_model = copy.deepcopy(model)

    phase = Phase()
    train_loader, val_loader = _loaders(train_set, val_set, ctx.seed + 23, phase)
    log = {"fresh": {}, "stale": 0, "backwards": {}}
    handles = _fresh_gradient_hooks(model, log)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    with ctx.report.capture() as events:
        history = train(model, train_loader, val_loader, nn.MSELoss(), optimizer, EPOCHS,
                        ctx.device)
    for handle in handles:
        handle.remove()

    _check_history(history, EPOCHS)
    steps = EPOCHS * len(train_loader)
    if log["stale"]:
        fail("At some steps .grad already held the previous batches' gradients when "
             "backward() added the new ones: the gradients are never cleared, so every step "
             "uses a running sum of old gradients. Call optimizer.zero_grad() at every step.")
    backwards = max(log["backwards"].values(), default=0)
    expect_true(backwards == steps,
                f"backward() ran {backwards} time(s) in {steps} training steps: "
                "call it once per training batch, and never during evaluation.")
    _check_loaders(train_loader, val_loader, EPOCHS)

    ref_train, ref_val = _loaders(train_set, val_set, ctx.seed + 23)
    ref_opt = torch.optim.SGD(reference_model.parameters(), lr=0.05)
    ctx.reference.train(reference_model, ref_train, ref_val, nn.MSELoss(), ref_opt,
                                      EPOCHS, "cpu")
    model.cpu()
    for (name, p), q in zip(model.named_parameters(), reference_model.parameters(), strict=True):
        expect_true(torch.allclose(p.detach(), q.detach(), rtol=1e-4, atol=1e-5),
                    f"After {EPOCHS} epochs of SGD the parameter `{name}` differs from what the "
                    "standard loop gives (one forward, loss, zero_grad, backward and "
                    "optimizer.step() per training batch, in the loader's order).")

    val = _val_loss(model, val_set)
    last = history["val_loss"][-1]
    if not math.isclose(last, val, rel_tol=1e-4, abs_tol=1e-6):
        if math.isclose(last, _mean_of_batch_means(model, val_set), rel_tol=1e-4, abs_tol=1e-6):
            fail("history['val_loss'] averages the batch means, so the last, smaller validation "
                 "batch counts as much as a full one. Weight each batch's loss by its size and "
                 "divide by the number of examples.")
        fail("history['val_loss'][-1] is not the mean loss per example of the trained model on "
             "val_loader: evaluate after the epoch's training steps, on every validation batch.")

    metrics = [e for e in events if e["kind"] == "metric"]
    losses = [e for e in metrics if "loss" in e["values"]]
    if not metrics:
        fail("Training never called report.metric, so the app cannot draw the curves: call "
             "report.metric(step=step, loss=loss.item()) at every step.")
    expect_true(len(losses) == steps,
                f"report.metric sent `loss` {len(losses)} time(s) during {steps} training steps: "
                "send it once per step, inside the batch loop.")
    vals = [float(e["values"]["val_loss"]) for e in metrics if "val_loss" in e["values"]]
    expect_true(len(vals) == EPOCHS, f"report.metric sent `val_loss` {len(vals)} time(s) in "
                f"{EPOCHS} epochs: send it once per epoch, after evaluating.")
    expect_true(all(math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-7)
                    for a, b in zip(vals, history["val_loss"], strict=True)),
                "The val_loss values sent with report.metric are not those stored in history.")
    loss_steps = [e["step"] for e in losses]
    expect_true(len(set(loss_steps)) == len(loss_steps),
                "report.metric got the same step for two training losses: count steps across "
                "epochs (step += 1 after every batch).")
    sizes = [len(X) for X, _ in DataLoader(train_set, batch_size=16)]
    per_step = [float(e["values"]["loss"]) for e in losses]
    for epoch, got in enumerate(history["train_loss"]):
        chunk = per_step[epoch * len(sizes):(epoch + 1) * len(sizes)]
        weighted = sum(v * n for v, n in zip(chunk, sizes, strict=True)) / sum(sizes)
        plain = sum(chunk) / len(chunk)
        expect_true(any(math.isclose(got, want, rel_tol=1e-4, abs_tol=1e-6)
                        for want in (weighted, plain)),
                    f"history['train_loss'][{epoch}] is not the mean of that epoch's training "
                    "batch losses (the ones sent with report.metric).")
    progress = [e for e in events if e["kind"] == "progress"]
    expect_true(progress and float(progress[-1]["done"]) == float(progress[-1]["total"]),
                "Call report.progress(epoch + 1, epochs) at the end of every epoch.")


def _check_modes(learner, ctx):
    train = require_function(learner, "train")
    g = torch.Generator().manual_seed(ctx.seed + 31)
    X = torch.randn(60, 3, generator=g)
    y = X.sum(dim=1)
    train_set, val_set = TensorDataset(X[:40], y[:40]), TensorDataset(X[40:], y[40:])
    phase = Phase()
    train_loader, val_loader = _loaders(train_set, val_set, ctx.seed + 32, phase)
    net = nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Dropout(0.5), nn.Linear(16, 1),
                        nn.Flatten(0))
    model = Probe(net, phase)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    ctx.reseed()
    with ctx.report.muted():
        train(model, train_loader, val_loader, nn.MSELoss(), optimizer, 2, ctx.device)
    _check_loaders(train_loader, val_loader, 2)
    if any(where == "val" and training for where, training in model.calls):
        fail("The model was scored on val_loader while still in training mode, so dropout "
             "kept switching units off and the validation loss is noisy and too high. Call "
             "model.eval() before evaluating.")
    if any(where == "train" and not training for where, training in model.calls):
        fail("After the first evaluation the model stayed in evaluation mode and kept training "
             "without dropout. Call model.train() at the start of every epoch.")


def check(learner, ctx):
    require_function(learner, "evaluate")
    torch.set_grad_enabled(True)
    ctx.reseed()
    _check_loop(learner, ctx)
    _check_modes(learner, ctx)
