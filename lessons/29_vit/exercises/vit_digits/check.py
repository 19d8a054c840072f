"""Check the ViT and its training loop on scikit-learn's digits.

Before training (fast): the model maps (B, 1, 8, 8) to (B, 10) logits; each image's prediction
does not depend on the other images in its batch (attention runs over tokens, not over the
batch: batch_first=True); the head reads the final-LayerNorm'd class token (or the mean of
the normalised tokens, with or without the class token, also accepted).

Training: the check calls train_vit(ViT(), ...) with 20 epochs, batch 128, lr 5e-3 on 1137
training images, validating on 300, then scores the returned model on 360 held-out test
images that training never saw. It also reads the streamed events: train_loss at every step,
val_acc after every epoch (the last one must be the returned model's accuracy on X_val), and
progress.

Threshold: test accuracy of the reference with this setting on CPU (1 thread), for ctx.seed
0-9 (the check itself uses 0): 0.981, 0.978, 0.969, 0.981, 0.983, 0.975, 0.992, 0.983, 0.983,
0.961 (median 0.981, min 0.961). We require 0.95. The training takes 7-17 s on a shared
2-core machine; the structure tests before it, under a second.
"""

import math

import torch
from torch import nn

from homl_tui.checks import CheckFailed, expect_at_least, expect_decreasing, fail, require_function

EPOCHS, BATCH, LR = 20, 128, 5e-3
THRESHOLD = 0.95


def _check_structure(cls, X, ctx):
    ctx.reseed()
    model = cls()
    if not isinstance(model, nn.Module):
        fail("ViT() should build an nn.Module.")
    for name in ("embed", "encoder", "norm", "head"):
        if not isinstance(getattr(model, name, None), nn.Module):
            fail(f"Keep the layout of the starter: the model needs `self.{name}` (a module).")
    model.eval()
    seen = {}
    hooks = [
        model.encoder.register_forward_hook(lambda m, i, o: seen.__setitem__("tokens", o)),
        model.head.register_forward_pre_hook(lambda m, i: seen.__setitem__("features", i[0])),
    ]
    try:
        with torch.no_grad():
            logits = model(X)
            first = dict(seen)
            alone = []
            for i in range(len(X)):
                model(X[i:i + 1])
                alone.append(seen.get("tokens"))
    finally:
        for hook in hooks:
            hook.remove()
    seen = first
    if not isinstance(logits, torch.Tensor) or tuple(logits.shape) != (len(X), 10):
        shape = tuple(logits.shape) if isinstance(logits, torch.Tensor) else type(logits).__name__
        fail(f"ViT()(images) on a batch of {len(X)} images gave {shape}; it should give "
             f"({len(X)}, 10): one logit per class for each image.")
    if "tokens" not in seen or "features" not in seen:
        fail("The forward pass should run self.encoder and then self.head.")
    batch_tokens = seen["tokens"]
    if (batch_tokens.shape[0] != len(X) or tuple(alone[0].shape[1:]) != tuple(
            batch_tokens.shape[1:]) or not torch.allclose(
            torch.cat(alone), batch_tokens, atol=1e-4, rtol=1e-4)):
        fail("The encoder's output for an image changes when other images share its batch: "
             "attention is mixing different images. nn.TransformerEncoderLayer reads its "
             "input as (sequence, batch, dim) unless it is built with batch_first=True, so "
             "it attended over the batch axis instead of over the tokens.")
    if torch.allclose(logits, logits[:1].expand_as(logits), atol=1e-6):
        fail("ViT() gives the same logits for every image, so the head cannot see the "
             "image. Does the class token attend to the patch tokens? (Is attention running "
             "over the tokens, with batch_first=True?)")
    tokens, features = seen["tokens"], seen["features"]
    if tokens.dim() != 3 or tokens.shape[0] != len(X):
        fail(f"self.encoder returned shape {tuple(tokens.shape)}; it should keep the tokens' "
             "(batch, tokens, dim) layout.")
    with torch.no_grad():
        normed = model.norm(tokens)

    def same(a, b):
        return a.shape == b.shape and torch.allclose(a, b, atol=1e-5, rtol=1e-4)

    if (same(features, normed[:, 0]) or same(features, normed.mean(1))
            or same(features, normed[:, 1:].mean(1))):
        return
    if same(features, tokens[:, 0]) or same(features, tokens.mean(1)):
        fail("The head reads the encoder's output directly: the final LayerNorm (self.norm) "
             "is skipped. With pre-norm layers the residual stream is never normalised "
             "otherwise; apply self.norm to the encoder's output before the head.")
    for k in range(1, tokens.shape[1]):
        if same(features, normed[:, k]) or same(features, tokens[:, k]):
            fail(f"The head reads token {k}, which is a patch token. The class token sits at "
                 "position 0: that is the token built to collect information for the "
                 "classifier (the mean of all tokens is the other common choice).")
    fail("The head's input is not the normalised class token: take self.norm(...) of the "
         "encoder's output, then its token at position 0.")


def _splits():
    from sklearn.datasets import load_digits

    digits = load_digits()
    X = torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16.0
    y = torch.tensor(digits.target, dtype=torch.int64)
    order = torch.randperm(len(y), generator=torch.Generator().manual_seed(42))
    test, val, train = order[:360], order[360:660], order[660:]
    return X[train], y[train], X[val], y[val], X[test], y[test]


@torch.no_grad()
def _accuracy(model, X, y):
    model.eval()
    device = next(model.parameters()).device
    pred = torch.cat([model(X[i:i + 256].to(device)).argmax(1).cpu()
                      for i in range(0, len(X), 256)])
    return (pred == y).double().mean().item(), pred


def _check_training(learner, train_vit, ctx):
    X_train, y_train, X_val, y_val, X_test, y_test = _splits()
    ctx.reseed()
    model = learner.ViT()
    g = torch.Generator().manual_seed(ctx.seed + 1)
    with ctx.report.capture() as events:
        out = train_vit(model, X_train, y_train, X_val, y_val, epochs=EPOCHS,
                        batch_size=BATCH, lr=LR, generator=g, device=ctx.device)
    if not isinstance(out, nn.Module):
        fail(f"train_vit should return the trained model; it returned {type(out).__name__}.")
    model = out
    where = f"(epochs={EPOCHS}, batch_size={BATCH}, lr={LR})"
    steps = EPOCHS * math.ceil(len(X_train) / BATCH)
    metrics = [(e["step"], e["values"]) for e in events if e["kind"] == "metric"]
    train_losses = [float(v["train_loss"]) for _, v in metrics if "train_loss" in v]
    val_accs = [float(v["val_acc"]) for _, v in metrics if "val_acc" in v]
    if not train_losses:
        fail("train_vit never sent `train_loss` with report.metric: call "
             "report.metric(step=step, train_loss=loss.item()) after every update.")
    if len(train_losses) != steps:
        fail(f"train_vit sent train_loss {len(train_losses)} times, but training {where} on "
             f"{len(X_train)} images takes {steps} minibatch steps: send it once per step.")
    try:
        expect_decreasing("train_loss", train_losses, window=20)
    except CheckFailed as exc:
        fail(f"Training {where}: {exc.message}")
    if len(val_accs) != EPOCHS:
        fail(f"train_vit sent val_acc {len(val_accs)} times in {EPOCHS} epochs: evaluate on "
             "the validation set once at the end of every epoch and send val_loss and "
             "val_acc with report.metric.")
    val_acc, _ = _accuracy(model, X_val, y_val)
    if abs(val_accs[-1] - val_acc) > 0.5 / len(X_val):
        fail(f"The last val_acc you streamed ({val_accs[-1]:.3f}) is not the accuracy of the "
             f"returned model on X_val ({val_acc:.3f}). Is it measured on the validation "
             "images, in eval mode, with the final weights? A curve measured on the training "
             "images would look better than the truth.")
    progress = [e for e in events if e["kind"] == "progress"]
    if not progress or float(progress[-1]["done"]) != float(progress[-1]["total"]):
        fail("Call report.progress(epoch + 1, epochs) at the end of every epoch.")
    test_acc, pred = _accuracy(model, X_test, y_test)
    confusion = torch.zeros(10, 10, dtype=torch.int64)
    confusion.index_put_((y_test, pred), torch.ones_like(y_test), accumulate=True)
    ctx.report.plot("test confusion", confusion, list(range(10)), kind="matrix",
                    title=f"held-out digits, accuracy {test_acc:.3f}",
                    xlabel="predicted", ylabel="true")
    expect_at_least(f"Accuracy on {len(X_test)} held-out test digits", test_acc, THRESHOLD,
                    "Follow the recipe: AdamW with the one-cycle schedule, shuffled "
                    "minibatches, zero_grad / backward / step / schedule.step at every step.",
                    fmt=".3f")


def check(learner, ctx):
    cls = getattr(learner, "ViT", None)
    if not isinstance(cls, type) or not issubclass(cls, nn.Module):
        fail("Define the class `ViT(nn.Module)` in your file.")
    train_vit = require_function(learner, "train_vit")
    torch.set_grad_enabled(True)
    X = _splits()[4][:12]
    _check_structure(cls, X, ctx)
    _check_training(learner, train_vit, ctx)
