"""Check make_pairs and sample_batch.

make_pairs runs on ids that are all different (a seeded permutation), so every relation
between X and Y can be read off exactly: targets equal to the inputs (no shift), targets one
step behind (shifted the wrong way), windows that overlap or skip, and the number of windows
(one case where the last window fits exactly, one where it does not). Then on the encoded
corpus. sample_batch: shapes, rows of Y that belong to the rows of X, reproducibility with the
generator, independence from torch's global generator, and variety. No thresholds.
"""

import torch

from homl_tui.checks import fail, require_function

CASES = [(101, 10), (100, 10), (1000, 7), (57, 8), (33, 32)]  # (len(ids), seq_len)


def _pair(out, name):
    if not isinstance(out, tuple) or len(out) != 2:
        fail(f"`{name}` should return a pair (X, Y); it returned a {type(out).__name__}.")
    X, Y = out
    for label, t in (("X", X), ("Y", Y)):
        if not isinstance(t, torch.Tensor):
            fail(f"`{label}` from `{name}` is a {type(t).__name__}; return torch tensors.")
    return X, Y


def _check_pairs(make_pairs, ids, seq_len, what):
    X, Y = _pair(make_pairs(ids.clone(), seq_len), "make_pairs")
    if X.dim() != 2 or Y.dim() != 2 or X.shape[1] != seq_len or Y.shape[1] != seq_len:
        fail(f"On {what}: X has shape {tuple(X.shape)} and Y {tuple(Y.shape)}; both should be "
             f"(number of windows, seq_len={seq_len}).")
    if X.shape != Y.shape:
        fail(f"On {what}: X and Y have different shapes; every input row needs its target row.")
    if X.dtype != ids.dtype or Y.dtype != ids.dtype:
        fail(f"On {what}: X or Y changed dtype; keep the ids as they are (int64).")
    if len(X) and torch.equal(X, Y):
        fail(f"On {what}: Y is identical to X. A language model predicts the NEXT character, "
             "so the targets must be the inputs shifted by one position; with Y = X the model "
             "only learns to copy its input.")
    if len(X) and seq_len > 1 and torch.equal(Y[:, 1:], X[:, :-1]):
        fail(f"On {what}: your targets are the characters BEFORE the inputs (Y[k, t + 1] equals "
             "X[k, t]): the shift goes the wrong way. Y should start one position later in the "
             "text than X, not one earlier.")
    if len(X) and seq_len > 1 and not torch.equal(Y[:, :-1], X[:, 1:]):
        fail(f"On {what}: inside a row, Y[k, t] should be the id that follows X[k, t], which "
             "is X[k, t + 1]. Take Y from the same stretch of ids as X, one position later.")
    n_fit = (len(ids) - 1) // seq_len
    if len(X) and not torch.equal(X.reshape(-1), ids[: len(X) * seq_len]):
        fail(f"On {what}: the rows of X are not the consecutive, non-overlapping windows of "
             "ids, starting at ids[0] (X.reshape(-1) should be the first n * seq_len ids).")
    if len(X) < n_fit:
        fail(f"On {what}: you made {len(X)} window(s), but there is room for more, even "
             "counting the one extra id the last target needs. The last window that fits is "
             "missing.")
    if len(X) > n_fit:
        fail(f"On {what}: you made {len(X)} windows; the last one has no next id for its "
             "final target.")
    if not torch.equal(Y[:, -1], ids[torch.arange(1, len(X) + 1) * seq_len]):
        fail(f"On {what}: the last column of Y is not the id that follows each window.")
    return X, Y


def _check_batch(sample_batch, X, Y):
    g = torch.Generator().manual_seed(5)
    Xb, Yb = _pair(sample_batch(X, Y, 64, g), "sample_batch")
    if tuple(Xb.shape) != (64, X.shape[1]) or tuple(Yb.shape) != (64, X.shape[1]):
        fail(f"sample_batch(X, Y, 64, g) gave shapes {tuple(Xb.shape)} and {tuple(Yb.shape)}; "
             f"both should be (64, {X.shape[1]}).")
    row_of = {tuple(r.tolist()): i for i, r in enumerate(X)}
    rows = [row_of.get(tuple(r.tolist())) for r in Xb]
    if None in rows:
        fail("Some rows of the X batch are not rows of X: pick whole rows, X[indices].")
    if not torch.equal(Yb, Y[torch.tensor(rows)]):
        fail("The Y batch does not hold the targets of the X batch: row i of Yb should be the "
             "row of Y that goes with row i of Xb. Index X and Y with the same indices.")
    if len(set(rows)) < 20:
        fail(f"64 draws from {len(X)} rows gave only {len(set(rows))} different rows: the "
             "batch should be random rows, drawn from the generator.")
    torch.manual_seed(123)
    first = sample_batch(X, Y, 64, torch.Generator().manual_seed(5))[0]
    torch.manual_seed(456)
    again = sample_batch(X, Y, 64, torch.Generator().manual_seed(5))[0]
    if not torch.equal(first, again):
        fail("Two calls with generators seeded the same way gave different batches: draw the "
             "indices from `generator` (torch.randint(..., generator=generator)), not from "
             "torch's global generator.")
    other = sample_batch(X, Y, 64, torch.Generator().manual_seed(6))[0]
    if torch.equal(first, other):
        fail("Generators with different seeds gave the same batch: the rows must be drawn "
             "from `generator`.")


def check(learner, ctx):
    make_pairs = require_function(learner, "make_pairs")
    sample_batch = require_function(learner, "sample_batch")
    g = torch.Generator().manual_seed(ctx.seed + 11)
    for n, seq_len in CASES:
        ids = torch.randperm(n, generator=g)
        _check_pairs(make_pairs, ids, seq_len, f"{n} ids with seq_len={seq_len}")
    text = ctx.reference.load_corpus(30_001)
    chars = sorted(set(text))
    stoi = {c: i for i, c in enumerate(chars)}
    ids = torch.tensor([stoi[c] for c in text], dtype=torch.long)
    _check_pairs(make_pairs, ids, 50, "the first 30,001 characters of the corpus")
    X, Y = ctx.reference.make_pairs(torch.randperm(4001, generator=g), 40)
    _check_batch(sample_batch, X, Y)
