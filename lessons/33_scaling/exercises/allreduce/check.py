"""Check all_reduce_mean and data_parallel_step.

all_reduce_mean: seeded random gradients for 2, 3 and 4 ranks; every rank must get the
element-wise mean (sum and first-rank-only answers are named).
data_parallel_step: 2, 3 and 4 replicas of a small Tanh network, 3 steps on different batches
of 24 rows (MSE, lr 0.1). The replicas must stay identical and match one model trained by SGD
on the full batches. Tolerance 1e-5 (float32 sums in a different order).
"""

import copy
import math

import torch
from torch import nn

from homl_tui.checks import expect_true, fail, require_function

TOL = 1e-5


def _close(a, b):
    return a.shape == b.shape and torch.allclose(a, b, rtol=TOL, atol=TOL)


def _check_all_reduce(fn, g):
    shapes = [(3, 4), (4,), (2,)]
    for world in (2, 3, 4):
        per_rank = [[torch.randn(s, generator=g) for s in shapes] for _ in range(world)]
        copies = [[t.clone() for t in grads] for grads in per_rank]
        out = fn(copies)
        where = f"all_reduce_mean with {world} ranks"
        if not isinstance(out, (list, tuple)) or len(out) != world:
            fail(f"{where}: return a list with one entry per rank ({world} entries); got "
                 f"{type(out).__name__}" + (f" of length {len(out)}." if hasattr(out, '__len__')
                                            else "."))
        for rank, grads in enumerate(out):
            expect_true(isinstance(grads, (list, tuple)) and len(grads) == len(shapes),
                        f"{where}: rank {rank}'s entry should be a list of {len(shapes)} tensors,"
                        " one per parameter.")
            for i, (got, shape) in enumerate(zip(grads, shapes, strict=True)):
                got = torch.as_tensor(got)
                expect_true(tuple(got.shape) == shape,
                            f"{where}: parameter {i} of rank {rank} has shape "
                            f"{tuple(got.shape)}; it should keep the parameter's shape. "
                            "Average over the ranks, not over the entries of a tensor.")
                stack = torch.stack([per_rank[r][i] for r in range(world)])
                if _close(got, stack.mean(0)):
                    continue
                if _close(got, stack.sum(0)):
                    fail(f"{where}: the result is the SUM of the ranks' gradients, {world} times "
                         "too large. dist.all_reduce sums by default; data-parallel training "
                         "divides by the world size to get the mean.")
                if _close(got, per_rank[rank][i]):
                    fail(f"{where}: rank {rank} got its own gradient back unchanged; every rank "
                         "should receive the mean over all ranks.")
                fail(f"{where}: parameter {i} of rank {rank} is not the element-wise mean over "
                     "the ranks.")


def _model(g):
    net = nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 3))
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.5)
    return net


def _flat(model):
    return torch.cat([p.detach().reshape(-1) for p in model.parameters()])


def _check_step(step_fn, g):
    loss_fn, lr = nn.MSELoss(), 0.1
    for world in (2, 3, 4):
        net = _model(g)
        single = copy.deepcopy(net)
        replicas = [copy.deepcopy(net) for _ in range(world)]
        start = _flat(net)
        for step in range(3):
            X, y = torch.randn(24, 5, generator=g), torch.randn(24, 3, generator=g)
            where = f"With {world} replicas, at step {step + 1}"
            single.zero_grad()
            full_loss = loss_fn(single(X), y)
            full_loss.backward()
            with torch.no_grad():
                for p in single.parameters():
                    p -= lr * p.grad
            before = _flat(replicas[0])
            out = step_fn(replicas, X.clone(), y.clone(), loss_fn, lr)
            flats = [_flat(r) for r in replicas]
            if any(not _close(f, flats[0]) for f in flats[1:]):
                if all(_close(f, before) for f in flats):
                    fail(f"{where}: the replicas' parameters did not change. Update them with "
                         "the averaged gradients, in place, under torch.no_grad().")
                fail(f"{where}: the replicas no longer have the same parameters: each one was "
                     "updated with its own local gradient. Use the values all_reduce_mean "
                     "returns (it does not change its input in place, unlike dist.all_reduce).")
            want = _flat(single)
            if not _close(flats[0], want):
                if step > 0:
                    fail(f"{where}: the first step was right but this one is not. Were the "
                         "replicas' old gradients cleared before backward()? backward() adds to "
                         ".grad, so gradients from earlier steps pile up.")
                moved, wanted = flats[0] - before, want - start
                ratio = float(moved.norm() / wanted.norm()) if wanted.norm() > 0 else math.nan
                if math.isclose(ratio, world, rel_tol=1e-3):
                    fail(f"{where}: the step is {world} times too large: the gradients were "
                         "summed over the replicas instead of averaged.")
                fail(f"{where}: the replicas do not match SGD on the full batch. Give replica r "
                     "the r-th shard (X.chunk(world)), average the gradients, then step with "
                     "p -= lr * grad.")
            expect_true(isinstance(out, (int, float)) and not isinstance(out, bool),
                        f"{where}: return the mean loss as a Python float (loss.item()), not a "
                        f"{type(out).__name__}.")
            expect_true(math.isclose(out, full_loss.item(), rel_tol=1e-4, abs_tol=1e-6),
                        f"{where}: the returned loss is not the mean of the replicas' losses.")


def check(learner, ctx):
    all_reduce = require_function(learner, "all_reduce_mean")
    step = require_function(learner, "data_parallel_step")
    torch.set_grad_enabled(True)
    ctx.reseed()
    g = torch.Generator().manual_seed(ctx.seed + 11)
    _check_all_reduce(all_reduce, g)
    _check_step(step, g)
