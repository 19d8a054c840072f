"""Check accumulate_gradients: the accumulated .grad equals the full-batch gradient, old
gradients are cleared, every forward pass stays within the micro-batch size, and backward()
runs once per micro-batch.

Before each call the check fills .grad with stale random values. When the result is wrong it
compares it with the usual wrong answers (stale + right, last micro-batch only, unweighted mean
of the micro-batch means, their plain sum) to name the mistake. Tolerance: rtol 1e-4, atol 1e-6
(float32 sums taken in a different order).
"""

import copy
import math

import torch
from torch import nn

from homl_tui.checks import expect_true, fail, require_function

RTOL, ATOL = 1e-4, 1e-6


class Spy(nn.Module):
    """Wraps a network and records the number of rows of every forward pass."""

    def __init__(self, net):
        super().__init__()
        self.net = net
        self.sizes = []

    def forward(self, x):
        self.sizes.append(int(x.shape[0]))
        return self.net(x)


def _case(kind, n, g):
    if kind == "regression":
        net = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 2))
        X, y = torch.randn(n, 4, generator=g), torch.randn(n, 2, generator=g)
        return net, nn.MSELoss(), X, y
    net = nn.Sequential(nn.Linear(3, 6), nn.ReLU(), nn.Linear(6, 4))
    X, y = torch.randn(n, 3, generator=g), torch.randint(0, 4, (n,), generator=g)
    return net, nn.CrossEntropyLoss(), X, y


def _flat(tensors):
    return torch.cat([t.reshape(-1) for t in tensors])


def _grad(net, loss_fn, X, y):
    loss = loss_fn(net(X), y)
    return _flat(torch.autograd.grad(loss, list(net.parameters()))), float(loss)


def _close(a, b):
    return a.shape == b.shape and torch.allclose(a, b, rtol=RTOL, atol=ATOL)


def _diagnose(got, full, stale, parts, where):
    if _close(got, stale + full):
        fail(f"{where}: the gradients that were already in .grad before the call are still "
             "included: backward() adds to .grad, so clear it first (model.zero_grad()).")
    last, rows = parts[-1]
    n = sum(m for _, m in parts)
    if len(parts) > 1 and (_close(got, last) or _close(got, last * rows / n)):
        fail(f"{where}: only the last micro-batch's gradient is left in .grad: the gradients "
             "are cleared inside the loop, so each micro-batch wipes out the ones before. "
             "Clear them once, before the loop.")
    grads = [p for p, _ in parts]
    if _close(got, sum(grads) / len(grads)):
        fail(f"{where}: every micro-batch got the same weight, but the last one is smaller "
             "than the others, so its examples count too much. Weight each micro-batch's "
             "mean loss by (its number of rows) / n.")
    if _close(got, sum(grads)):
        fail(f"{where}: the gradient is the sum of the micro-batches' mean-loss gradients, "
             f"about {len(parts)} times too large. Weight each micro-batch's mean loss by "
             "(its number of rows) / n.")
    fail(f"{where}: the accumulated gradient does not match the gradient of the mean loss over "
         "all the rows.")


def _run(accumulate, kind, n, micro, g):
    net, loss_fn, X, y = _case(kind, n, g)
    reference = copy.deepcopy(net)
    model = Spy(net)
    stale = []
    for p in net.parameters():
        p.grad = torch.randn(p.shape, generator=g)
        stale.append(p.grad.clone())
    backwards = []
    first = next(net.parameters())
    handle = first.register_post_accumulate_grad_hook(lambda _: backwards.append(1))
    try:
        total = accumulate(model, loss_fn, X.clone(), y.clone(), micro)
    finally:
        handle.remove()

    where = f"With n={n} rows and micro_batch_size={micro} ({kind})"
    full, full_loss = _grad(reference, loss_fn, X, y)
    parts = [(_grad(reference, loss_fn, X[s:s + micro], y[s:s + micro])[0], len(X[s:s + micro]))
             for s in range(0, n, micro)]
    missing = [name for name, p in net.named_parameters() if p.grad is None]
    expect_true(not missing, f"{where}: after the call, {missing} have no gradient (.grad is "
                "None): call backward() on the loss of every micro-batch.")
    got = _flat([p.grad for p in net.parameters()])
    if not _close(got, full):
        _diagnose(got, full, _flat(stale), parts, where)

    too_big = [s for s in model.sizes if s > micro]
    expect_true(not too_big, f"{where}: the model got a forward pass of {max(too_big or [0])} "
                "rows, more than micro_batch_size. Feed it one micro-batch at a time; that is "
                "the whole point.")
    count = math.ceil(n / micro)
    expect_true(len(backwards) == count,
                f"{where}: backward() ran {len(backwards)} time(s) for {count} micro-batches. "
                "Call it once per micro-batch, right after its forward pass: adding up the "
                "losses and calling backward() once at the end keeps every graph in memory, "
                "as if the big batch had been used.")
    if isinstance(total, torch.Tensor):
        fail(f"{where}: the return value is a tensor; return a Python float (loss.item()).")
    if not isinstance(total, (int, float)):
        fail(f"{where}: the return value is a {type(total).__name__}; return the mean loss "
             "over all the rows as a float.")
    expect_true(math.isclose(float(total), full_loss, rel_tol=1e-4, abs_tol=1e-6),
                f"{where}: the returned loss is not the mean loss over all the rows: add up the "
                "weighted micro-batch losses.")


def check(learner, ctx):
    accumulate = require_function(learner, "accumulate_gradients")
    torch.set_grad_enabled(True)
    ctx.reseed()
    g = torch.Generator().manual_seed(ctx.seed + 3)
    for kind, n, micro in (("regression", 23, 5), ("classification", 30, 7),
                           ("regression", 12, 12), ("classification", 10, 1),
                           ("regression", 20, 4)):
        _run(accumulate, kind, n, micro, g)
