"""Check hard_vote on seeded random prediction arrays, with and without ties.

Every property is exact (no thresholds). The cases mix two-class and many-class votes,
labels that are not 0..k-1, an even number of models (ties in many columns), a single
model, and a square array, where voting along the wrong axis gives the right shape.
Wrong answers are compared with the usual mistakes (wrong axis, ties broken by the first
model, averaging the labels) to say which one it is.
"""

import numpy as np

from homl_tui.checks import expect_shape, fail, require_function


def _counts(P):
    labels = np.unique(P)
    return labels, (P[None, :, :] == labels[:, None, None]).sum(axis=1)


def _vote(P):
    labels, counts = _counts(P)
    return labels[counts.argmax(axis=0)]


def _ties(P):
    """Boolean mask of the columns where two or more labels share the most votes."""
    _, counts = _counts(P)
    top = counts.max(axis=0)
    return (counts == top).sum(axis=0) > 1


def _cases(rng):
    return [
        ("3 models, labels 0/1", rng.integers(0, 2, size=(3, 40))),
        ("5 models, labels 0..3", rng.integers(0, 4, size=(5, 60))),
        ("4 models, labels 2, 5 and 9", rng.choice([2, 5, 9], size=(4, 50))),
        ("2 models, labels 0..2 (many ties)", rng.integers(0, 3, size=(2, 30))),
        ("6 models, 6 samples, labels 0..3", rng.integers(0, 4, size=(6, 6))),
        ("1 model", rng.integers(0, 5, size=(1, 12))),
        ("7 models, labels 10..14", rng.integers(10, 15, size=(7, 80))),
    ]


def _diagnose(label, got, P, want):
    n_models, n_samples = P.shape
    tie = _ties(P)
    wrong = got != want
    if np.array_equal(got, _vote(P.T)) and n_models == n_samples:
        fail(f"{label}: the votes were counted along the wrong axis. Row i is what model i "
             "predicted for every sample, so each sample's votes are in a column: count "
             "down axis 0.")
    if not wrong[~tie].any():
        fail(f"{label}: every clear majority is right, but {int(wrong.sum())} of the "
             f"{int(tie.sum())} tied columns are not. On a tie, pick the smallest of the "
             "tied labels (scikit-learn's rule), not the first one seen or the last one.")
    mean = np.round(P.mean(axis=0))
    if np.array_equal(got, mean):
        fail(f"{label}: the result is the rounded average of the labels. Averaging labels "
             "is not a vote: with labels 0, 2, 2 it gives 1, a label nobody chose. Count "
             "the votes for each label instead.")
    fail(f"{label}: {int(wrong.sum())} of the {n_samples} voted labels are wrong. For each "
         "column, count how many models chose each label and keep the label with the "
         "most votes.")


def check(learner, ctx):
    hard_vote = require_function(learner, "hard_vote")
    rng = ctx.rng(7)
    for label, P in _cases(rng):
        n_models, n_samples = P.shape
        label = f"With {label} (predictions of shape {P.shape})"
        got = hard_vote(P.copy())
        if got is None:
            fail("`hard_vote` returned None: did you forget to `return` the result?")
        got = np.asarray(got)
        if got.shape == (n_models,) and n_models != n_samples:
            fail(f"{label}, hard_vote returned shape {got.shape}: one label per model. "
                 "The vote is across models, so you need one label per sample (per column): "
                 "count the votes along axis 0, the models.")
        expect_shape(f"hard_vote(predictions) {label.lower()}", got, (n_samples,))
        if got.dtype.kind not in "iu":
            if got.dtype.kind == "f" and np.array_equal(got, np.round(got)):
                got = got.astype(np.int64)
            else:
                fail(f"{label}, hard_vote returned {got.dtype} values that are not whole "
                     "numbers: the result of a vote must be one of the voted labels.")
        want = _vote(P)
        if not np.array_equal(got, want):
            _diagnose(label, got, P, want)
