"""Check evaluate (evaluation mode, no gradients, mode restored, batches) and
mc_dropout_predict (dropout on, batch norm untouched, mode restored, a sound average), then
MC dropout's uncertainty on digits the model has never seen.

Model: the reference's make_model(p=0.3) trained by the reference's train() on 1,100 digits
0-7 (20 epochs, about 1.5 s). Over 6 seeds of the reference:
- accuracy of the MC-averaged prediction on the 343 held-out 0-7 digits: 0.977 to 0.997;
  we require 0.95;
- mean predictive entropy on the 8s and 9s divided by that on held-out 0-7: 8.6 to 11.2;
  we require 4;
- mean absolute gap between the 30-sample mean probabilities and a 400-sample estimate:
  0.0016 to 0.0023; we allow 0.006 against the check's own 300-sample estimate.
"""

import math

import torch
from torch import nn
from torch.nn import functional as F

from homl_tui.checks import expect_at_least, expect_true, fail, require_function

MC_ACC, ENTROPY_RATIO, MEAN_GAP = 0.95, 4.0, 0.006


def _bn_state(model):
    return [b.detach().clone() for name, b in model.named_buffers() if "running" in name]


def _bn_changed(model, before):
    return any(not torch.equal(a, b) for a, b in zip(_bn_state(model), before, strict=True))


def _modes(model):
    return [m.training for m in model.modules()]


class _GradSpy:
    """Records whether autograd was recording during the model's forward passes."""

    def __init__(self, model):
        self.seen = []
        self.handle = model.register_forward_hook(
            lambda *_: self.seen.append(torch.is_grad_enabled()))

    def remove(self):
        self.handle.remove()


def _eval_accuracy(model, X, y):
    was = model.training
    model.eval()
    with torch.no_grad():
        acc = (model(X).argmax(1) == y).float().mean().item()
    model.train(was)
    return acc


def _check_evaluate(evaluate, model, X, y):
    want = _eval_accuracy(model, X, y)
    model.train()
    before = _bn_state(model)
    spy = _GradSpy(model)
    try:
        first = evaluate(model, X, y)
        second = evaluate(model, X, y, batch_size=50)
    finally:
        spy.remove()
    for value in (first, second):
        if isinstance(value, torch.Tensor) and value.numel() == 1:
            value = value.item()
        if not isinstance(value, (int, float)) or not 0 <= value <= 1:
            fail(f"evaluate should return the accuracy as a number between 0 and 1; it "
                 f"returned {value!r:.40}.")
    first, second = float(first), float(second)
    if not (math.isclose(first, want, abs_tol=1e-6) and math.isclose(second, want, abs_tol=1e-6)):
        if not math.isclose(first, second, abs_tol=1e-6) or _bn_changed(model, before):
            fail("Called twice on the same model and data, evaluate gave different accuracies, "
                 "which also differ from the model's accuracy in evaluation mode: dropout was "
                 "still switching neurons off at random, and batch norm used (and updated) "
                 "batch statistics. Call model.eval() before predicting.")
        fail("evaluate's accuracy differs from the model's accuracy in evaluation mode on the "
             "same data. Count correct predictions (argmax over the classes) over ALL the "
             "batches, then divide by the number of examples.")
    if _bn_changed(model, before):
        fail("evaluate changed the batch-norm running statistics: the model must be in "
             "evaluation mode while it predicts.")
    if not model.training:
        fail("After evaluate, a model that was in training mode is left in evaluation mode: "
             "inside a training loop the next epochs would run without dropout and with frozen "
             "batch norm. Remember model.training at the start and restore it at the end "
             "(model.train(was_training)).")
    if any(spy.seen):
        fail("evaluate runs the model with autograd recording (no torch.no_grad()): it builds "
             "graphs nobody will use, which costs memory and time. Wrap the predictions in "
             "`with torch.no_grad():`.")
    model.eval()
    evaluate(model, X, y)
    expect_true(not any(_modes(model)), "After evaluate, a model that was in evaluation mode "
                "should still be in evaluation mode.")


def _check_mc(mc, model, X, ctx):
    model.eval()
    before = _bn_state(model)
    ctx.reseed()
    out = mc(model, X, 30)
    if not (isinstance(out, tuple) and len(out) == 2):
        fail("mc_dropout_predict should return a pair (mean_probs, std_probs).")
    mean, std = (torch.as_tensor(t).detach().cpu().float() for t in out)
    for name, t in (("mean_probs", mean), ("std_probs", std)):
        expect_true(tuple(t.shape) == (len(X), 8),
                    f"{name} has shape {tuple(t.shape)}; it should be ({len(X)}, 8): one row "
                    "per image, one column per class.")
    expect_true(torch.allclose(mean.sum(dim=1), torch.ones(len(X)), atol=1e-4),
                "The rows of mean_probs do not sum to 1: average the softmax PROBABILITIES of "
                "the passes (not the raw scores).")
    if _bn_changed(model, before):
        fail("mc_dropout_predict changed the batch-norm running statistics: model.train() "
             "switches batch norm to batch statistics as well as dropout. Put the model in "
             "evaluation mode and switch only the nn.Dropout modules back to training mode.")
    if not bool(std.max() > 1e-6):
        fail("All the passes of mc_dropout_predict gave exactly the same probabilities "
             "(std_probs is zero): dropout was off. model.eval() turns it off; switch the "
             "nn.Dropout modules back on (module.train()) before sampling.")
    if any(_modes(model)):
        fail("After mc_dropout_predict some modules are left in training mode: restore the "
             "model's mode at the end, so that dropout is off again for ordinary predictions.")
    ctx.reseed(ctx.seed + 1)
    was = model.training
    model.eval()
    for m in model.modules():
        if isinstance(m, nn.Dropout):
            m.train()
    with torch.no_grad():
        big = torch.stack([F.softmax(model(X), dim=-1) for _ in range(300)]).mean(0)
    model.train(was)
    gap = (mean - big).abs().mean().item()
    expect_true(gap <= MEAN_GAP,
                f"mean_probs is off from a 300-pass Monte Carlo average by {gap:.3g} on average "
                "per entry: average the softmax probabilities of n_samples passes, with "
                "dropout on and batch norm in evaluation mode.")
    return mean, std


def check(learner, ctx):
    evaluate = require_function(learner, "evaluate")
    mc = require_function(learner, "mc_dropout_predict")
    ref = ctx.reference
    torch.set_grad_enabled(True)
    (X_train, y_train), (X_test, y_test), X_ood = ref.load_digit_sets()

    ctx.reseed()
    quick = ref.train(ref.make_model(0.5), X_train, y_train, X_test, y_test, epochs=2,
                      seed=ctx.seed)
    _check_evaluate(evaluate, quick, X_test, y_test)

    ctx.reseed()
    model = ref.train(ref.make_model(0.3), X_train, y_train, X_test, y_test, epochs=20,
                      seed=ctx.seed).cpu()
    mean_in, _ = _check_mc(mc, model, X_test, ctx)
    ctx.reseed()
    mean_ood, _ = mc(model, X_ood, 30)
    mean_ood = torch.as_tensor(mean_ood).detach().cpu().float()
    acc = (mean_in.argmax(1) == y_test).float().mean().item()
    expect_at_least("Accuracy of the MC dropout average on held-out digits 0-7", acc, MC_ACC,
                    "Average the probabilities of all n_samples passes.", fmt=".3f")
    h_in = ref.predictive_entropy(mean_in).mean().item()
    h_ood = ref.predictive_entropy(mean_ood).mean().item()
    ctx.report.plot("uncertainty (check)", [h_in, h_ood],
                    ["digits 0-7 (held out)", "8s and 9s (never seen)"], kind="bar",
                    title="mean predictive entropy of your MC dropout averages")
    ratio = h_ood / max(h_in, 1e-12)
    expect_true(ratio >= ENTROPY_RATIO,
                f"The MC dropout predictions are only {ratio:.2g} times more uncertain (mean "
                "entropy) on 8s and 9s, which the model never saw, than on held-out 0-7 "
                "digits: the average should come from many passes with dropout on.")
