"""Check data_iter: batch sizes, every example exactly once, pairs kept, shuffled, seeded.

Each example carries its index in X[:, 0] and 10 * index in y, so the check can see which
examples a batch holds. No thresholds: every property is exact. The chance that a correct
shuffle of 103 examples returns them in their stored order is 1/103!, so "not shuffled" is
never a false alarm.
"""

import math

import torch

from homl_tui.checks import expect_true, fail, require_function


def _data(n, d=3, seed=0):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, d, generator=g)
    X[:, 0] = torch.arange(n, dtype=torch.float32)
    return X, 10 * X[:, 0].clone()


def _batches(data_iter, X, y, batch_size, generator):
    out = data_iter(X, y, batch_size, generator)
    if out is None:
        fail("`data_iter` returned None: it should `yield` one (X_batch, y_batch) pair per "
             "batch.")
    batches = []
    for item in out:
        if not isinstance(item, tuple) or len(item) != 2:
            fail("Each item from `data_iter` should be a pair (X_batch, y_batch); got a "
                 f"{type(item).__name__}.")
        X_b, y_b = item
        if not isinstance(X_b, torch.Tensor) or not isinstance(y_b, torch.Tensor):
            fail("The batches should be torch tensors (index X and y with a tensor of "
                 "indices).")
        batches.append((X_b, y_b))
        if len(batches) > 10 * X.shape[0] + 10:
            fail("`data_iter` never stops: it should make a single pass over the data.")
    return batches


def _check_pass(data_iter, n, batch_size, seed):
    X, y = _data(n, seed=seed)
    g = torch.Generator().manual_seed(seed)
    batches = _batches(data_iter, X, y, batch_size, g)
    where = f"(n={n}, batch_size={batch_size})"
    if not batches:
        fail(f"`data_iter` yielded no batch at all {where}.")
    sizes = [int(X_b.shape[0]) for X_b, _ in batches]
    if 0 in sizes:
        fail(f"`data_iter` yielded an empty batch {where}: stop once every example is used.")
    for X_b, y_b in batches:
        if X_b.dim() != 2 or X_b.shape[1] != X.shape[1] or tuple(y_b.shape) != (X_b.shape[0],):
            fail(f"A batch has X_batch of shape {tuple(X_b.shape)} and y_batch of shape "
                 f"{tuple(y_b.shape)} {where}: select whole rows, X[idx] and y[idx].")
        expect_true(torch.equal(y_b, 10 * X_b[:, 0]),
                    f"A batch pairs rows of X with the targets of other rows {where}: use the "
                    "same indices for X and y.")
    ids = torch.cat([X_b[:, 0] for X_b, _ in batches]).long()
    counts = torch.bincount(ids, minlength=n)
    missing, repeated = int((counts == 0).sum()), int((counts > 1).sum())
    full = n // batch_size
    if missing == n - full * batch_size and missing > 0 and repeated == 0 \
            and len(batches) == full:
        fail(f"The last, smaller batch is missing {where}: {missing} example(s) are never "
             "used. Keep the leftover examples as a final, shorter batch.")
    if missing or repeated:
        fail(f"Each example must appear exactly once per pass {where}; here {missing} "
             f"example(s) are missing and {repeated} come more than once. Check the bounds of "
             "your slices (Python slices exclude their end).")
    expected_sizes = [batch_size] * full + ([n - full * batch_size] if n % batch_size else [])
    expect_true(sizes == expected_sizes,
                f"The batch sizes are {sizes} {where}: every batch should hold batch_size "
                "examples except possibly the last one.")
    expect_true(len(batches) == math.ceil(n / batch_size), "Wrong number of batches.")
    return ids


def check(learner, ctx):
    data_iter = require_function(learner, "data_iter")
    ctx.reseed()
    for n, batch_size, seed in ((103, 10, 1), (40, 8, 2), (5, 16, 3), (64, 1, 4)):
        _check_pass(data_iter, n, batch_size, ctx.seed + seed)

    n = 103
    ids = _check_pass(data_iter, n, 10, ctx.seed + 5)
    expect_true(not torch.equal(ids, torch.arange(n)),
                "The batches come in the stored order of the data, not shuffled: draw a "
                "random order of the indices (torch.randperm) at the start of every pass.")
    again = _check_pass(data_iter, n, 10, ctx.seed + 5)
    expect_true(torch.equal(ids, again),
                "Two passes with generators seeded the same way gave different orders: "
                "shuffle with torch.randperm(n, generator=generator).")

    X, y = _data(n)
    g = torch.Generator().manual_seed(ctx.seed + 6)
    first = torch.cat([X_b[:, 0] for X_b, _ in _batches(data_iter, X, y, 10, g)])
    second = torch.cat([X_b[:, 0] for X_b, _ in _batches(data_iter, X, y, 10, g)])
    expect_true(not torch.equal(first, second),
                "Two passes (epochs) in a row gave the same order: shuffle anew at every "
                "call, inside data_iter.")
