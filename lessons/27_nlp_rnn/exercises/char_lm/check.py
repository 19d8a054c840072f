"""Check CharRNN, evaluate and train_lm.

1. The model, on a tiny vocabulary, before any training: logits of shape (batch, time, V);
   each sequence of the batch is processed on its own (a GRU without batch_first=True runs
   its recurrence across the batch); position t never depends on later inputs (a
   bidirectional GRU peeks at the answer); forward(x, h) continues from the state h.
2. evaluate against a reference computation on the same (untrained) model.
3. Training: CharRNN(V) with its default sizes, train_lm for 150 steps of 32 rows of 32
   characters at lr=1e-2 on the first 180,000 characters of the corpus (held-out rows for
   val_loss: the next 20,000). The check then measures the loss per character on 20,000 more
   characters the learner's code never saw.

Threshold on that held-out loss, from the reference (float32, CPU, 1 thread), ctx.seed 0-9:
2.216, 2.278, 2.224, 2.275, 2.303, 2.263, 2.241, 2.242, 2.195, 2.258 nats/char (mean 2.250,
max 2.303). On the same text, a table of character frequencies scores 3.19 and a table of
character pairs (bigrams) 2.59. We allow 2.45. A fresh model's first loss is about ln(V) = 4.6.
Before that, 4 probe steps check that the gradients are zeroed (optimizer step pre-hook).
One check takes about 6 s of CPU time.
"""

import math

import torch
import torch.nn.functional as F
from torch.optim.optimizer import register_optimizer_step_pre_hook

from homl_tui.checks import (
    CheckFailed,
    expect_at_most,
    expect_decreasing,
    fail,
    require_function,
)

STEPS, BATCH, SEQ_LEN, LR, EVAL_EVERY = 150, 32, 32, 1e-2, 50
THRESHOLD = 2.45


def _forward(model, x, h=None):
    out = model(x) if h is None else model(x, h)
    if not isinstance(out, tuple) or len(out) != 2:
        fail("CharRNN.forward should return a pair (logits, h); it returned a "
             f"{type(out).__name__}.")
    return out


def _check_model(CharRNN, ctx):
    V, B, T = 23, 4, 12
    ctx.reseed()
    model = CharRNN(V)
    if not isinstance(model, torch.nn.Module):
        fail("CharRNN(vocab_size) should build an nn.Module (subclass nn.Module).")
    model.eval()
    g = torch.Generator().manual_seed(ctx.seed + 3)
    x = torch.randint(0, V, (B, T), generator=g)
    with torch.no_grad():
        logits, _ = _forward(model, x)
        if not isinstance(logits, torch.Tensor):
            fail(f"The logits are a {type(logits).__name__}; return a tensor.")
        if tuple(logits.shape) != (B, T, V):
            fail(f"For x of shape ({B}, {T}) and vocab_size={V}, the logits have shape "
                 f"{tuple(logits.shape)}; they should be (batch, time, vocab_size).")
        other = x.clone()
        other[1] = (other[1] + 1 + torch.randint(0, V - 1, (T,), generator=g)) % V
        changed, _ = _forward(model, other)
        keep = [0, 2, 3]
        if not torch.allclose(changed[keep], logits[keep], atol=1e-5):
            fail("Changing one sequence of the batch changed the logits of the OTHER "
                 "sequences: your recurrence runs across the batch. nn.GRU expects "
                 "(time, batch, features) unless you pass batch_first=True, and your x is "
                 "(batch, time).")
        t = 7
        later = x.clone()
        later[:, t:] = (later[:, t:] + 1) % V
        peeked, _ = _forward(model, later)
        if not torch.allclose(peeked[:, :t], logits[:, :t], atol=1e-5):
            fail(f"Changing the characters at positions {t} and later changed the logits at "
                 f"positions before {t}: the model looks at the future, which is the answer "
                 "it should predict (a bidirectional RNN does that). A language model may only "
                 "read the past.")
        first, h = _forward(model, x[:, :5])
        rest, _ = _forward(model, x[:, 5:], h)
        if not torch.allclose(torch.cat([first, rest], dim=1), logits, atol=1e-4):
            fail("Running x in two pieces, passing the state h from the first to the second, "
                 "does not give the same logits as running it at once: forward(x, h) should "
                 "start the GRU from h (pass h to self.rnn) and return the GRU's final state.")


def _reference_loss(model, X, Y, device):
    model.eval()
    total = 0.0
    with torch.no_grad():
        for start in range(0, len(X), 256):
            logits, _ = model(X[start:start + 256].to(device))
            logits = logits.float().cpu()
            total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]),
                                     Y[start:start + 256].reshape(-1), reduction="sum").item()
    model.train()
    return total / Y.numel()


def _data(ctx):
    text = ctx.reference.load_corpus(220_000)
    chars, stoi = ctx.reference.build_vocab(text)
    ids = ctx.reference.encode(text, stoi)
    make = ctx.reference.make_pairs
    return (len(chars), make(ids[:180_000], SEQ_LEN), make(ids[180_000:200_000], SEQ_LEN),
            make(ids[200_000:], SEQ_LEN))


def _check_evaluate(evaluate, CharRNN, V, val, ctx):
    ctx.reseed(ctx.seed + 1)
    model = CharRNN(V).to(ctx.device)
    X, Y = val[0][:300], val[1][:300]
    got = evaluate(model, X, Y)
    try:
        got = float(got)
    except (TypeError, ValueError):
        fail(f"`evaluate` returned a {type(got).__name__}; return one float (the mean loss).")
    want = _reference_loss(model, X, Y, ctx.device)
    if not math.isfinite(got):
        fail("`evaluate` returned NaN or infinity.")
    if abs(got - want) > 1e-3 * want:
        ratio = got / want
        if abs(ratio - Y.numel()) < 0.01 * Y.numel() or abs(ratio - Y.shape[1]) < 0.01 * Y.shape[1]:
            fail("`evaluate` returns a sum, not the mean cross-entropy per character: divide "
                 "the total by the number of characters scored.")
        fail(f"`evaluate` is off by {abs(got - want):.3g} nats from the mean cross-entropy "
             "per character of the same model on the same rows. Score every target once "
             "(logits reshaped to (-1, V), targets to (-1,)) and average over all of them.")


def _check_zero_grad(train_lm, CharRNN, V, X, Y, val, ctx):
    """Train 4 steps and compare, before every optimizer step, each parameter's .grad with
    the gradient the last backward() produced (recorded by a tensor hook). Clipping only
    rescales it, so the directions must agree; accumulated gradients point elsewhere."""
    ctx.reseed()
    model = CharRNN(V).to(ctx.device)
    params = [p for p in model.parameters() if p.requires_grad]
    fresh, cosines = {}, []

    def keep(i):
        return lambda grad: fresh.__setitem__(i, grad.detach().clone())

    def before_step(optimizer, args, kwargs):
        for i, p in enumerate(params):
            if p.grad is not None and i in fresh and fresh[i].abs().sum() > 0:
                a, b = p.grad.detach().flatten().double(), fresh[i].flatten().double()
                cosines.append(float(a @ b / (a.norm() * b.norm() + 1e-30)))
        fresh.clear()

    handles = [p.register_hook(keep(i)) for i, p in enumerate(params)]
    hook = register_optimizer_step_pre_hook(before_step)
    try:
        with ctx.report.muted():
            train_lm(model, X, Y, val[0][:16], val[1][:16], steps=4, batch_size=BATCH, lr=LR,
                     generator=torch.Generator().manual_seed(ctx.seed + 9), eval_every=4)
    finally:
        hook.remove()
        for h in handles:
            h.remove()
    if cosines and min(cosines) < 0.99:
        fail("Before an optimizer step, the gradients held more than what the last backward() "
             "computed: backward() ADDS to .grad, so without optimizer.zero_grad() every step "
             "uses the sum of all gradients so far.")


def check(learner, ctx):
    CharRNN = require_function(learner, "CharRNN")
    evaluate = require_function(learner, "evaluate")
    train_lm = require_function(learner, "train_lm")
    torch.set_grad_enabled(True)
    _check_model(CharRNN, ctx)

    V, (X, Y), val, test = _data(ctx)
    _check_evaluate(evaluate, CharRNN, V, val, ctx)

    _check_zero_grad(train_lm, CharRNN, V, X, Y, val, ctx)

    ctx.reseed()
    model = CharRNN(V).to(ctx.device)
    g = torch.Generator().manual_seed(ctx.seed + 7)
    with ctx.report.capture() as events:
        losses = train_lm(model, X, Y, val[0], val[1], steps=STEPS, batch_size=BATCH, lr=LR,
                          generator=g, eval_every=EVAL_EVERY)
    if not isinstance(losses, (list, tuple)) or len(losses) != STEPS:
        fail(f"`train_lm` should return a list with one training loss per step ({STEPS} "
             f"steps here); it returned {type(losses).__name__}"
             + (f" of length {len(losses)}." if hasattr(losses, "__len__") else "."))
    losses = [float(v) for v in losses]
    if math.isfinite(losses[0]) and losses[0] > 3 * math.log(V):
        fail(f"The first training loss is {losses[0]:.4g}. A freshly initialised model "
             f"guesses about uniformly, which costs about ln(V) = {math.log(V):.2f} nats per "
             "character: your loss is a sum over the batch, not a mean. Keep the default "
             "reduction='mean' of cross_entropy, or the step size grows with the batch.")
    expect_decreasing("losses", losses, window=20)

    metrics = [e for e in events if e["kind"] == "metric"]
    with_loss = [e for e in metrics if "loss" in e["values"]]
    if len(with_loss) < STEPS:
        fail(f"report.metric sent `loss` {len(with_loss)} time(s) in {STEPS} steps: send it at "
             "every step, so the curve is live.")
    with_val = [e for e in metrics if "val_loss" in e["values"]]
    if len(with_val) < STEPS // EVAL_EVERY:
        fail(f"report.metric sent `val_loss` {len(with_val)} time(s) in {STEPS} steps with "
             f"eval_every={EVAL_EVERY}: evaluate on the held-out rows every eval_every steps "
             "and send the result.")
    if not any(e["kind"] == "progress" for e in events):
        fail("train_lm never called report.progress: call it after every evaluation.")

    held_out = _reference_loss(model, test[0], test[1], ctx.device)
    try:
        expect_at_most("The loss per character on held-out text", held_out, THRESHOLD,
                       fmt=".3f")
    except CheckFailed as exc:
        w = 20
        start, early, late = sum(losses[:10]) / 10, sum(losses[-2 * w:-w]) / w, sum(losses[-w:]) / w
        if start - late < 0.5:
            fail(f"{exc.message} The training loss barely moved in {STEPS} steps (from about "
                 f"{start:.2f} to {late:.2f}): the updates are far too small. Use Adam with the "
                 "given lr, as the docstring says; plain SGD at this rate crawls.")
        if late < early - 0.05:
            fail(f"{exc.message} The training loss was still falling fast when training "
                 "stopped: learning is too slow for this budget. Use Adam with the given lr and "
                 "the model sizes of the docstring.")
        fail(f"{exc.message} Does every step compute the loss of the logits against the "
             "targets Y (not the inputs), zero the gradients, and call optimizer.step()?")
    ctx.report.plot("training loss (check run)", losses, kind="line",
                    title=f"held-out loss {held_out:.3f} nats/char")
