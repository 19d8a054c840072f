"""Check save_state / load_state by resuming a run and comparing it with an uninterrupted one.

Setting (CPU, seeded): a small MLP with batch norm and dropout (10 -> 32 -> BN -> ReLU ->
dropout -> 3), Adam, 200 synthetic examples, minibatches of 16 drawn at random with a
torch.Generator (the data order). TOTAL = 40 steps.

- Straight: seed, build, train 40 steps.
- Resumed, for k in (13, 30): seed, build, train k steps, save_state, torch.save into memory,
  torch.load(weights_only=True); then, as a fresh process would, seed again and build a NEW
  model, optimizer and generator, load_state into them, and train from the returned step to 40.
Both must end with bit-for-bit identical state dicts (parameters and buffers, torch.equal):
on one device, with the same operations in the same order, PyTorch's CPU kernels are
deterministic, so "close" is not good enough here; any difference is a missing piece of state.
Before training on, the check looks at what load_state restored (step, weights, buffers,
optimizer state, data-order generator, global generator) so the message names the piece that
is missing. No thresholds: the reference matches exactly on every run (about 0.3 s in all).
"""

import io

import torch
from torch import nn
from torch.nn import functional as F

from homl_tui.checks import expect_true, fail, require_function

TOTAL, BATCH, SPLITS = 40, 16, (13, 30)


def _data(ctx):
    rng = ctx.rng(7)
    X = rng.normal(size=(200, 10)).astype("float32")
    teacher = rng.normal(size=(10, 3))
    y = (X @ teacher + 0.5 * rng.normal(size=(200, 3))).argmax(1)
    return torch.tensor(X), torch.tensor(y)


def _fresh(ctx):
    """What a new process builds before loading a checkpoint: seeded model, Adam, generator."""
    ctx.reseed()
    model = nn.Sequential(nn.Linear(10, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Dropout(0.3),
                          nn.Linear(32, 3))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    generator = torch.Generator().manual_seed(ctx.seed + 1)
    return model, optimizer, generator


def _train(model, optimizer, generator, X, y, first, last):
    model.train()
    for _ in range(first, last):
        idx = torch.randint(len(X), (BATCH,), generator=generator)
        loss = F.cross_entropy(model(X[idx]), y[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def _same_tensors(a, b):
    return a.shape == b.shape and a.dtype == b.dtype and torch.equal(a, b)


def _optimizer_tensors(optimizer):
    """Adam's per-parameter state (moments and step counts), in parameter order."""
    out = []
    for group in optimizer.param_groups:
        for p in group["params"]:
            for key in sorted(optimizer.state.get(p, {})):
                value = optimizer.state[p][key]
                out.append(torch.as_tensor(value).detach().clone())
    return out


def _round_trip(state):
    buffer = io.BytesIO()
    try:
        torch.save(state, buffer)
    except Exception as exc:  # noqa: BLE001 - any failure means the state cannot be saved
        fail(f"torch.save could not write what save_state returned ({type(exc).__name__}): "
             "keep it to tensors, numbers, strings, lists and dicts (the state dicts and "
             "generator states are all of that kind).")
    buffer.seek(0)
    try:
        return torch.load(buffer, weights_only=True)
    except Exception as exc:  # noqa: BLE001
        fail(f"torch.load(..., weights_only=True) refused the checkpoint ({type(exc).__name__}"
             "): it only unpickles tensors, numbers, strings, lists, tuples and dicts. Save "
             "the STATE of the model, optimizer and generators, not the objects themselves.")


def _describe_step(returned, k):
    if returned is None:
        return "load_state returned nothing: it should return the step to continue from."
    if returned == k + 1:
        return ("load_state returned one step more than the number of steps done before the "
                "checkpoint: the resumed run would skip a step. The step saved is the count of "
                "steps already taken, which is also the index of the next one to take.")
    if returned == k - 1:
        return ("load_state returned one step fewer than the number of steps done before the "
                "checkpoint: the resumed run would repeat a step.")
    if returned == 0:
        return ("load_state returned 0: the resumed run would start counting from the "
                "beginning again and train for too long. Return the step stored in the state.")
    return ("load_state did not return the step stored in the checkpoint (the number of steps "
            "done before saving), so the resumed run would not take the right steps.")


def _resume_and_compare(save_state, load_state, ctx, X, y, k, straight):
    model, optimizer, generator = _fresh(ctx)
    _train(model, optimizer, generator, X, y, 0, k)
    state = save_state(model, optimizer, k, generator)
    if not isinstance(state, dict):
        fail(f"save_state returned a {type(state).__name__}; return a dict (one entry per "
             "piece of state).")
    # What the saved run looks like at the checkpoint, to compare with after loading.
    want_model = {name: t.detach().clone() for name, t in model.state_dict().items()}
    want_opt = _optimizer_tensors(optimizer)
    want_data_rng = generator.get_state()
    want_torch_rng = torch.get_rng_state()
    loaded = _round_trip(state)

    new_model, new_optimizer, new_generator = _fresh(ctx)   # a new process, seeded as usual
    returned = load_state(loaded, new_model, new_optimizer, new_generator)
    if isinstance(returned, torch.Tensor) and returned.numel() == 1:
        returned = returned.item()
    if returned != k or isinstance(returned, bool):
        fail(_describe_step(returned, k))

    got = new_model.state_dict()
    params = {name for name, _ in new_model.named_parameters()}
    if any(not _same_tensors(got[name], want_model[name]) for name in params):
        fail("After load_state the fresh model's weights are not the saved ones: save the "
             "model's state and load it back into the model you are given.")
    if any(not _same_tensors(got[name], t) for name, t in want_model.items()
           if name not in params):
        fail("After load_state the weights are right but the buffers are not: batch norm's "
             "running mean and variance (and its batch counter) are back to their initial "
             "values. The model's parameters leave the buffers out; save the model's full "
             "state, which holds both.")
    have_opt = _optimizer_tensors(new_optimizer)
    if not have_opt:
        fail("After load_state the fresh Adam optimizer has no state at all: its moment "
             "estimates and step count restart from zero, so its first updates after resuming "
             "are not the ones the uninterrupted run makes (and the bias correction starts "
             "over). Save the optimizer's state too and load it back into the optimizer.")
    if len(have_opt) != len(want_opt) or any(
            not torch.equal(a.float(), b.float()) for a, b in zip(have_opt, want_opt,
                                                                   strict=False)):
        fail("After load_state the optimizer's state (Adam's moments and step count) is not "
             "the one saved: load the saved optimizer state into the optimizer you are given.")
    if not torch.equal(new_generator.get_state(), want_data_rng):
        fail("After load_state the data-order generator is not where it was at the checkpoint: "
             "a fresh process seeds it again, so the resumed run would draw the minibatches of "
             "the start of training instead of the next ones, and the data order differs. Save "
             "the generator's state and restore it.")
    if not torch.equal(torch.get_rng_state(), want_torch_rng):
        fail("After load_state torch's global random generator is not where it was at the "
             "checkpoint: it draws the dropout masks, so the resumed run would switch off "
             "different neurons than the uninterrupted one. Save its state and restore it "
             "too.")

    _train(new_model, new_optimizer, new_generator, X, y, returned, TOTAL)
    final = new_model.state_dict()
    differing = [name for name, t in straight.items() if not _same_tensors(final[name], t)]
    expect_true(not differing,
                f"Stopped after {k} steps and resumed, the run ends with different values in "
                f"{', '.join(differing[:3])}{' ...' if len(differing) > 3 else ''} than the "
                "run that was never stopped. Something the training loop depends on was not "
                "saved or not restored.")


def check(learner, ctx):
    save_state = require_function(learner, "save_state")
    load_state = require_function(learner, "load_state")
    torch.set_grad_enabled(True)
    X, y = _data(ctx)

    model, optimizer, generator = _fresh(ctx)
    _train(model, optimizer, generator, X, y, 0, TOTAL)
    straight = {name: t.detach().clone() for name, t in model.state_dict().items()}

    for k in SPLITS:
        _resume_and_compare(save_state, load_state, ctx, X, y, k, straight)
