"""Check the tiny GPT-2: its config, its training loop (streamed loss and held-out loss) and
the held-out next-character loss it reaches in the check's budget.

Data: Python's help topics (pydoc_data), first 90 % for training, last 10 % held out.
Budget: 200 AdamW steps, batch 32, block 32, lr 3e-3 (about 5 s of one CPU core).
Held-out loss = mean next-character cross-entropy in nats on 64 evenly spaced windows of the
held-out text. For scale: predicting character frequencies alone (unigram) gives 3.24, and a
bigram count table trained on the same 90 % gives 2.32.
Reference solution on CPU, seeds 0..4 (torch seed s for the init, batches from seed s + 1):
    2.132, 2.149, 2.158, 2.185, 2.208   (200 steps, about 4.7 s of CPU each)
Threshold 2.35: clearly below the unigram model and roughly at the bigram table, so any
correct loop passes with margin while a loop that learns the wrong target fails.
"""

import math

import torch
import torch.nn.functional as F

from homl_tui.checks import CheckFailed, expect_decreasing, expect_true, fail, require_function

STEPS, BATCH, BLOCK, LR = 200, 32, 32, 3e-3
THRESHOLD = 2.35


def _data(ref):
    text = ref.load_text()
    chars, stoi = ref.build_vocab(text)
    train_ids, val_ids = ref.split_ids(ref.encode(text, stoi))
    return chars, train_ids, val_ids


@torch.no_grad()
def _shifted_losses(model, ids, block, n_windows=64):
    """Held-out cross-entropy of the logits at position t against the token at t + k, k = 0, 1, 2."""
    model.eval()
    device = next(model.parameters()).device
    starts = torch.linspace(0, len(ids) - block, n_windows).long().tolist()
    x = torch.stack([ids[s:s + block] for s in starts]).to(device)
    logits = model(input_ids=x).logits.float().cpu()
    x = x.cpu()
    out = {}
    for k in (0, 1, 2):
        lg = logits[:, :block - k] if k else logits
        out[k] = F.cross_entropy(lg.reshape(-1, lg.shape[-1]), x[:, k:].reshape(-1)).item()
    return out


def _check_config(make_model, vocab_size):
    from transformers import GPT2LMHeadModel

    model = make_model(vocab_size, BLOCK)
    if not isinstance(model, GPT2LMHeadModel):
        fail(f"make_model should return a transformers GPT2LMHeadModel; it returned a "
             f"{type(model).__name__}.")
    c = model.config
    for name, want in (("n_layer", 2), ("n_embd", 64), ("n_head", 4)):
        if getattr(c, name) != want:
            fail(f"The config has {name} = {getattr(c, name)}; this exercise uses {name} = "
                 f"{want} (small enough to train in the check's time budget).")
    if c.vocab_size != vocab_size:
        fail(f"The config has vocab_size = {c.vocab_size}, but make_model was called with "
             "vocab_size: the output layer needs one logit per character of the vocabulary.")
    if c.n_positions < BLOCK:
        fail(f"The config has n_positions = {c.n_positions}, fewer than the block of {BLOCK} "
             "characters the model is trained on: pass `block` as n_positions.")


def check(learner, ctx):
    make_model = require_function(learner, "make_model")
    train = require_function(learner, "train")
    torch.set_grad_enabled(True)
    chars, train_ids, val_ids = _data(ctx.reference)
    _check_config(make_model, len(chars))

    ctx.reseed()
    model = make_model(len(chars), BLOCK)
    g = torch.Generator().manual_seed(ctx.seed + 1)
    with ctx.report.capture() as events:
        losses = train(model, train_ids, val_ids, steps=STEPS, batch_size=BATCH, block=BLOCK,
                       lr=LR, generator=g, device=ctx.device)
    if not isinstance(losses, (list, tuple)):
        fail(f"`train` should return the list of training losses; it returned a "
             f"{type(losses).__name__}.")
    losses = [float(v) for v in losses]
    expect_true(len(losses) == STEPS, f"`train` returned {len(losses)} losses for {STEPS} "
                "steps: append loss.item() once per step.")
    try:
        expect_decreasing("the training losses", losses, window=20)
    except CheckFailed as exc:
        fail(f"{exc.message} In a PyTorch loop, call optimizer.zero_grad() before every "
             "backward(): otherwise the gradients of all the previous steps pile up and the "
             "steps go in stale directions.")

    held = _shifted_losses(model, val_ids, BLOCK)
    if held[0] < held[1] - 0.3 and sum(losses[-20:]) / 20 < 1.0:
        fail("The model learned to copy its input: its training loss is tiny, but on held-out "
             "text it cannot predict the next character. The logits at position t must be "
             "scored against the character at t + 1. With Hugging Face, passing labels=x "
             "does this shift for you; if you compute the loss yourself, shift by one.")
    if held[2] < held[1]:
        fail("The model predicts the character two positions ahead, not the next one. "
             "GPT2LMHeadModel shifts the labels itself: pass input_ids=x and labels=x (the "
             "same tensor). Shifting them yourself as well shifts twice.")
    if not math.isfinite(held[1]) or held[1] > THRESHOLD:
        fail(f"After {STEPS} steps (batch {BATCH}, block {BLOCK}, lr {LR:g}) the held-out "
             f"loss is {held[1]:.3f} nats per character; it needs to be at most {THRESHOLD}. "
             "Check the loop: a fresh batch every step, zero_grad / backward / step in that "
             "order, the optimizer built on model.parameters().")

    metrics = [e for e in events if e["kind"] == "metric"]
    with_loss = [e for e in metrics if "loss" in e["values"]]
    if len(with_loss) < STEPS:
        fail(f"report.metric sent `loss` {len(with_loss)} time(s) in {STEPS} steps: send it "
             "at every step so the curve is live.")
    with_val = [e for e in metrics if "val_loss" in e["values"]]
    if not with_val:
        fail("report.metric never sent `val_loss`: evaluate on the held-out ids every "
             "eval_every steps and after the last step, and send it as val_loss.")
    reported = float(with_val[-1]["values"]["val_loss"])
    truth = ctx.reference.evaluate(model, val_ids, BLOCK)
    if not math.isclose(reported, truth, rel_tol=2e-3, abs_tol=1e-4):
        on_train = ctx.reference.evaluate(model, train_ids, BLOCK)
        if math.isclose(reported, on_train, rel_tol=2e-3, abs_tol=1e-4):
            fail("The last val_loss you streamed was measured on the training data, not on "
                 "the held-out ids: a model is judged on text it has not been trained on. "
                 "Pass val_ids to evaluate.")
        fail("The last val_loss you streamed is not the held-out loss of the final model: "
             "call evaluate(model, val_ids, block) after the last step as well, and stream "
             "what it returns.")
    progress = [e for e in events if e["kind"] == "progress"]
    expect_true(progress and float(progress[-1]["done"]) == float(progress[-1]["total"]),
                "Call report.progress(step + 1, steps) as training goes, ending at done == "
                "total.")
    ctx.report.plot("your tiny GPT's training loss", losses, kind="line", xlabel="step",
                    title=f"held-out loss at the end: {held[1]:.3f} nats per character")
