"""Check TableDataset and make_loader: length, float32 examples paired with their targets,
NumPy and pandas input, batches that cover every row once with the last one kept, shuffling
that follows the loader's own seeded generator, and no shuffling when shuffle=False.

Row i carries i in its first column and 10 * i + 0.5 as its target, so the check can see which
rows a batch holds. Every property is exact: a correct shuffle of 37 rows returns the stored
order with probability 1/37!, so "not shuffled" is never a false alarm.
"""

import numpy as np
import pandas as pd
import torch

from homl_tui.checks import expect_true, fail, require_function

N, D, BATCH = 37, 4, 8


def _table(rng, n=N):
    X = rng.normal(size=(n, D))
    X[:, 0] = np.arange(n)
    return X, 10 * np.arange(n) + 0.5


def _check_dataset(TableDataset, X, y, kind):
    ds = TableDataset(X, y)
    n = len(X)
    try:
        size = len(ds)
    except TypeError:
        fail("len(dataset) does not work: define __len__ to return the number of rows.")
    if size == n - 1:
        fail(f"With {kind} of {n} rows, len(dataset) is {size}: one short, so the DataLoader "
             "never asks for the last row. __len__ should return the number of rows.")
    if size == n + 1:
        fail(f"With {kind} of {n} rows, len(dataset) is {size}: one too many, so the DataLoader "
             "asks for a row that does not exist. __len__ should return the number of rows.")
    expect_true(size == n, f"With {kind} of {n} rows, len(dataset) is {size}; it should be the "
                "number of rows.")
    for i in range(n):
        item = ds[i]
        if not isinstance(item, (tuple, list)) or len(item) != 2:
            fail(f"dataset[{i}] is a {type(item).__name__}; it should be a pair "
                 "(features, target).")
        x, t = item
        if not isinstance(x, torch.Tensor) or not isinstance(t, torch.Tensor):
            fail(f"dataset[{i}] holds a {type(x).__name__} and a {type(t).__name__}; store X "
                 "and y as tensors in __init__, so the DataLoader can stack them.")
        if x.dtype != torch.float32 or t.dtype != torch.float32:
            fail(f"With {kind}, dataset[{i}] has dtypes {str(x.dtype).replace('torch.', '')} and "
                 f"{str(t.dtype).replace('torch.', '')}; store both as float32 (NumPy and "
                 "pandas give float64, but layers hold float32): convert once, in __init__.")
        expect_true(tuple(x.shape) == (D,), f"dataset[{i}][0] has shape {tuple(x.shape)}; the "
                    f"features of one row have shape ({D},).")
        expect_true(tuple(t.shape) == (), f"dataset[{i}][1] has shape {tuple(t.shape)}; the "
                    "target of one row is a 0-d tensor (index y with i), so that a batch of "
                    "targets has shape (batch_size,).")
        if not (torch.allclose(x.double(), torch.as_tensor(np.asarray(X)[i]), atol=1e-4)
                and abs(float(t) - float(np.asarray(y)[i])) < 1e-3):
            fail(f"With {kind}, dataset[{i}] is not row {i} of X with target {i} of y: return "
                 "the features and the target of the same row i.")
    return ds


def _order(loader, where):
    batches = list(loader)
    ids, sizes = [], []
    for item in batches:
        if not isinstance(item, (tuple, list)) or len(item) != 2:
            fail(f"{where}: each batch should be a pair (X_batch, y_batch).")
        X_b, y_b = item
        expect_true(X_b.dim() == 2 and X_b.shape[1] == D and tuple(y_b.shape) == (X_b.shape[0],),
                    f"{where}: a batch has X of shape {tuple(X_b.shape)} and y of shape "
                    f"{tuple(y_b.shape)}; expected (batch, {D}) and (batch,).")
        expect_true(torch.allclose(y_b.double(), 10 * X_b[:, 0].double() + 0.5),
                    f"{where}: a batch pairs rows with the targets of other rows.")
        ids += X_b[:, 0].round().long().tolist()
        sizes.append(int(X_b.shape[0]))
    full = N // BATCH
    expected_sizes = [BATCH] * full + ([N % BATCH] if N % BATCH else [])
    if sorted(ids) != list(range(N)):
        fail(f"{where}: one pass over the loader does not give every row exactly once.")
    expect_true(sizes == expected_sizes, f"{where}: the batch sizes are {sizes}; every batch "
                f"should hold {BATCH} rows except the last, which keeps what is left.")
    return ids


def check(learner, ctx):
    TableDataset = require_function(learner, "TableDataset")
    make_loader = require_function(learner, "make_loader")
    ctx.reseed()
    rng = ctx.rng(4)
    X, y = _table(rng)
    ds = _check_dataset(TableDataset, X, y, "NumPy arrays")
    X2, y2 = _table(rng, 23)
    _check_dataset(TableDataset, pd.DataFrame(X2, columns=list("abcd")),
                   pd.Series(y2, name="target"), "a pandas DataFrame and Series")

    seed = ctx.seed + 11
    where = f"make_loader(dataset, {BATCH}, shuffle=True, seed={seed})"
    loader = make_loader(ds, BATCH, True, seed)
    try:
        count = len(loader)
    except TypeError:
        fail("`make_loader` should return a DataLoader (or something with a length).")
    expect_true(count == -(-N // BATCH), f"{where} has {count} batches for {N} rows; the last, "
                "smaller batch should be kept.")
    first = _order(loader, where)
    expect_true(first != list(range(N)),
                f"{where} gives the rows in their stored order: with shuffle=True the loader "
                "should visit them in a random order (pass `shuffle` on to the DataLoader).")
    second = _order(loader, where + ", second epoch")
    expect_true(second != first, f"Two epochs of {where} gave the same order: draw a new order "
                "at every epoch (the DataLoader does that itself).")

    torch.manual_seed(ctx.seed + 999)  # disturb the global generator between the two loaders
    torch.rand(5)
    again = _order(make_loader(ds, BATCH, True, seed), where)
    expect_true(again == first,
                f"Two loaders built with the same seed ({seed}) gave different orders: the "
                "shuffle depends on torch's global random state. Give the DataLoader a "
                "torch.Generator of its own, seeded with `seed`.")
    other = _order(make_loader(ds, BATCH, True, seed + 1), where)
    expect_true(other != first, "Loaders built with different seeds gave the same order: the "
                "seed argument is not used for the shuffle.")

    plain = _order(make_loader(ds, BATCH, False, seed), "make_loader(..., shuffle=False)")
    expect_true(plain == list(range(N)), "With shuffle=False the rows should come in their "
                "stored order (validation and test loaders are not shuffled).")
