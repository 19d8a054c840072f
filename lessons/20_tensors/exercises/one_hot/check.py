"""Check one_hot(labels, num_classes): a float32 tensor of shape (n, num_classes) with
exactly one 1.0 per row, in the right column; labels left unchanged.

One case has labels that never reach the last classes, so a width guessed from the
labels (F.one_hot without num_classes) shows up as a wrong shape.
"""

import numpy as np

from homl_tui.checks import CheckFailed, as_array, describe, expect_type, fail, require_function


def _one_case(fn, labels, num_classes, number):
    import torch

    label = f"one_hot(labels, {num_classes})"
    where = f"On test input #{number} (labels: {describe(labels)}, num_classes={num_classes})"
    before = labels.clone()
    got = fn(labels, num_classes)
    n = len(labels)
    try:
        if not torch.equal(labels, before):
            fail("your function changed `labels` in place. Leave it as it was.")
        expect_type(label, got, torch.Tensor, "torch.Tensor")
        shape = tuple(got.shape)
        if len(shape) != 2 or shape[0] != n:
            fail(f"`{label}` has shape {shape}: it should have 2 dimensions, one row per label.")
        if shape[1] != num_classes:
            fail(f"`{label}` has {shape[1]} columns, but num_classes={num_classes} were asked "
                 "for. The width must come from num_classes, not from the largest label seen "
                 "(F.one_hot guesses labels.max() + 1 unless you pass num_classes).")
        if got.dtype != torch.float32:
            fail(f"`{label}` has dtype {str(got.dtype).replace('torch.', '')}; it should be "
                 "float32, the dtype losses and matrix products expect. (F.one_hot returns "
                 "int64: convert with .float(), or create the zeros as float32.)")
        values = as_array(got)
        if not np.isin(values, (0.0, 1.0)).all():
            fail(f"`{label}` contains values other than 0 and 1.")
        ones = values.sum(axis=1)
        bad = np.flatnonzero(ones != 1)
        if bad.size:
            row = int(bad[0])
            fail(f"`{label}`: row {row} has {int(ones[row])} ones, but every row must have "
                 f"exactly one ({bad.size} of {n} rows are wrong). Indexing the columns alone "
                 "(out[:, labels]) writes into every row; pair each label with its own row "
                 "index instead.")
        wrong = np.flatnonzero(values.argmax(axis=1) != labels.numpy())
        if wrong.size:
            fail(f"`{label}`: {wrong.size} of {n} rows have their 1 in the wrong column "
                 f"(first: row {int(wrong[0])}). Row i must have its 1 in column labels[i].")
    except CheckFailed as exc:
        fail(f"{where}: {exc.message}")


def check(learner, ctx):
    import torch

    fn = require_function(learner, "one_hot")
    rng = ctx.rng(1)
    cases = [
        (torch.from_numpy(rng.permutation(np.arange(5) % 5)), 5),      # every class once
        (torch.from_numpy(rng.integers(0, 4, size=12)), 4),
        (torch.from_numpy(rng.integers(0, 3, size=9)), 7),              # classes 3..6 unused
        (torch.from_numpy(rng.integers(0, 10, size=200)), 10),
        (torch.tensor([0]), 1),
    ]
    for number, (labels, k) in enumerate(cases, start=1):
        _one_case(fn, labels.to(torch.int64), k, number)
