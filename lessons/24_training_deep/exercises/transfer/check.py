"""Check transfer: make_transfer_model copies and freezes the reused layers and adds a fresh
head; fine_tune trains only that head, streams its loss, and the result classifies held-out
8s and 9s.

Setup: the reference's pretrain() on digits 0-7 (seed = exercise seed), 10 labelled images of
each of 8 and 9 (the other 334 are held out), n_reuse = 2, Adam, lr 0.01, 100 full-batch epochs.
Held-out accuracy of the reference over 10 seeds (pretraining seed s, split seed s + 7):
0.922 0.943 0.928 0.922 0.895 0.952 0.940 0.889 0.919 0.931 (min 0.889); we require 0.85.
(Reusing both hidden layers, n_reuse = 4, gave 0.82 to 0.925: the upper layers are too
specialised in 0-7.) One check takes about 2 s, mostly pretraining.
"""

import math

import torch
from torch import nn

from homl_tui.checks import expect_at_least, expect_decreasing, expect_true, fail, require_function

THRESHOLD = 0.85
EPOCHS, LR = 100, 1e-2


def _snapshot(model):
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def _build(make, pretrained, n_reuse, X_probe):
    ids = {id(p) for p in pretrained.parameters()}
    before = _snapshot(pretrained)
    model = make(pretrained, n_reuse, 2)
    expect_true(isinstance(model, nn.Module),
                f"make_transfer_model returned a {type(model).__name__}; it should return an "
                "nn.Module (for example an nn.Sequential).")
    if any(id(p) in ids for p in model.parameters()):
        fail("Your transfer model shares its layers with the pretrained network (slicing an "
             "nn.Sequential does not copy the layers): freezing or training them would change "
             "the original too. Work on copy.deepcopy(pretrained[:n_reuse]).")
    after = _snapshot(pretrained)
    changed = any(not torch.equal(before[k], after[k]) for k in before)
    if changed or not all(p.requires_grad for p in pretrained.parameters()):
        fail("make_transfer_model changed the pretrained network itself: leave it as it is "
             "and work on a deep copy.")
    with torch.no_grad():
        out = model.cpu().eval()(X_probe)
    if out.ndim == 2 and out.shape[1] == 8:
        fail("Your transfer model outputs 8 scores per image: it still ends with the old "
             "output layer, made for digits 0-7. Put a fresh nn.Linear(width, n_classes) on "
             "top of the reused layers.")
    expect_true(tuple(out.shape) == (len(X_probe), 2),
                f"For {len(X_probe)} images the transfer model returned shape "
                f"{tuple(out.shape)}; it should be ({len(X_probe)}, 2), one score per class.")

    reused = [p for _, p in pretrained[:n_reuse].named_parameters()]
    copies = [q for q in model.parameters()
              if any(q.shape == p.shape and torch.equal(q.detach().cpu(), p.detach())
                     for p in reused)]
    expect_true(len(copies) >= len(reused),
                f"With n_reuse={n_reuse} the model should contain copies of the first "
                f"{n_reuse} modules of the pretrained network, with their trained weights.")
    if any(q.requires_grad for q in copies):
        fail(f"With n_reuse={n_reuse} the reused layers still require gradients, so "
             "fine-tuning would change them: with 20 images and a fresh, random head, the "
             "first updates can wreck what they learned. Freeze them: "
             "requires_grad_(False).")
    width = [m for m in pretrained[:n_reuse] if isinstance(m, nn.Linear)][-1].out_features
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    expect_true(trainable == width * 2 + 2,
                f"With n_reuse={n_reuse} the transfer model has {trainable} trainable "
                "parameters: only the new head (one nn.Linear from the last reused layer's "
                "width to n_classes) should be trainable.")
    return model


def check(learner, ctx):
    make = require_function(learner, "make_transfer_model")
    fine_tune = require_function(learner, "fine_tune")
    ref = ctx.reference
    torch.set_grad_enabled(True)
    X_old, y_old, X_new, y_new = ref.load_digit_tasks()
    ctx.reseed()
    pretrained = ref.pretrain(X_old, y_old, seed=ctx.seed)
    train_idx, test_idx = ref.few_shot_split(y_new, 10, torch.Generator().manual_seed(ctx.seed + 7))

    ctx.reseed()
    _build(make, pretrained, 4, X_new[:5])
    ctx.reseed()
    model = _build(make, pretrained, 2, X_new[:5])
    reused_before = _snapshot(pretrained[:2])

    ctx.reseed()
    with ctx.report.capture() as events:
        losses = fine_tune(model, X_new[train_idx], y_new[train_idx], epochs=EPOCHS, lr=LR,
                           device=ctx.device)
    model = model.cpu()
    try:
        losses = [float(v) for v in losses]
    except (TypeError, ValueError):
        fail("fine_tune should return the list of losses, one float per epoch.")
    expect_true(len(losses) == EPOCHS,
                f"fine_tune returned {len(losses)} losses for {EPOCHS} epochs: one per epoch.")
    expect_decreasing("the fine-tuning losses", losses, window=10)

    copies_ok = all(
        any(torch.equal(q.detach(), p) for q in model.parameters() if q.shape == p.shape)
        for p in reused_before.values())
    if not copies_ok:
        fail("The reused layers changed during fine-tuning: they should stay frozen. Only "
             "parameters with requires_grad=True should go to the optimizer.")

    metrics = [e for e in events if e["kind"] == "metric" and "loss" in e["values"]]
    if len(metrics) < EPOCHS:
        fail(f"fine_tune sent the loss with report.metric {len(metrics)} time(s) in {EPOCHS} "
             "epochs: call report.metric(step=epoch, loss=...) at every epoch so the curve "
             "is drawn live.")
    last = float(metrics[-1]["values"]["loss"])
    expect_true(math.isclose(last, losses[-1], rel_tol=1e-4, abs_tol=1e-6),
                "The last loss sent with report.metric is not the last entry of the returned "
                "losses: report the number you record.")
    progress = [e for e in events if e["kind"] == "progress"]
    expect_true(progress and float(progress[-1]["done"]) == float(progress[-1]["total"]),
                "Call report.progress(epoch + 1, epochs) at every epoch, ending with "
                "done == total.")

    model.eval()
    with torch.no_grad():
        acc = (model(X_new[test_idx]).argmax(dim=1) == y_new[test_idx]).float().mean().item()
    ctx.report.plot("held-out 8 vs 9", [acc], ["your transfer model"], kind="bar",
                    title=f"accuracy on {len(test_idx)} held-out images after 20 labels")
    expect_at_least(f"Accuracy on the {len(test_idx)} held-out 8s and 9s", acc, THRESHOLD,
                    "Train the new head with Adam on the trainable parameters for every epoch "
                    "(zero_grad, backward, step), with the model in training mode.", fmt=".3f")
