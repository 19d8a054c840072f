"""Check soft_vote on seeded random probabilities (Dirichlet draws), with and without weights.

Exact arithmetic, so the tolerance is tight (rtol 1e-9, atol 1e-12). The cases include a
square array (n_models = n_samples = n_classes), where averaging over the wrong axis gives
the right shape, integer weights with a zero, and a single model. Wrong answers are compared
with the usual mistakes (no division by the sum of the weights, weights ignored, wrong axis,
labels from a vote of each model's top class) to say which one it is.
"""

import numpy as np

from homl_tui.checks import expect_close, expect_shape, fail, require_function

RTOL, ATOL = 1e-9, 1e-12


def _probas(rng, n_models, n_samples, n_classes):
    return rng.dirichlet(np.ones(n_classes), size=(n_models, n_samples))


def _cases(rng):
    return [
        ("3 models, 2 classes, no weights", _probas(rng, 3, 40, 2), None),
        ("4 models, 5 classes, no weights", _probas(rng, 4, 25, 5), None),
        ("2 models, 3 classes, weights [1, 3]", _probas(rng, 2, 30, 3), [1.0, 3.0]),
        ("5 models, 4 classes, weights [0.5, 1, 2, 1, 0.5]", _probas(rng, 5, 20, 4),
         [0.5, 1.0, 2.0, 1.0, 0.5]),
        ("3 models, 3 samples, 3 classes, weights [2, 1, 1]", _probas(rng, 3, 3, 3),
         [2.0, 1.0, 1.0]),
        ("3 models, integer weights [1, 0, 2]", _probas(rng, 3, 30, 3), [1, 0, 2]),
        ("1 model, no weights", _probas(rng, 1, 10, 3), None),
    ]


def _close(a, b):
    return a.shape == b.shape and np.allclose(a, b, rtol=RTOL, atol=ATOL)


def _check_avg(label, avg, P, weights):
    n_models, n_samples, n_classes = P.shape
    w = np.ones(n_models) if weights is None else np.asarray(weights, dtype=float)
    want = np.tensordot(w, P, axes=1) / w.sum()
    if avg.shape == (n_models, n_classes) and n_models != n_samples:
        fail(f"{label}: `avg` has shape {avg.shape}, one row per model. The models are "
             "axis 0 of probas: average over the models (axis 0) to get one row per sample.")
    expect_shape(f"avg ({label.lower()})", avg, (n_samples, n_classes))
    if _close(avg, want):
        return
    per_model = (w[:, None, None] * P).sum(axis=1) / w.sum()
    if _close(avg, per_model):
        fail(f"{label}: `avg` was averaged over the samples (axis 1), not over the models "
             "(axis 0): the shape happens to fit here, but the numbers do not.")
    if weights is not None and not np.allclose(w, w[0]):
        if _close(avg, P.mean(axis=0)):
            fail(f"{label}: `avg` is the plain mean, as if every weight were 1: the weights "
                 "were ignored. Multiply each model's probabilities by its weight.")
        if _close(avg, want * w.sum()):
            fail(f"{label}: the rows of `avg` sum to the total weight, not to 1: after "
                 "summing weights[i] * probas[i], divide by the sum of the weights.")
    sums = avg.sum(axis=1)
    if not np.allclose(sums, 1.0, atol=1e-9):
        fail(f"{label}: the rows of `avg` sum to values between {sums.min():.3g} and "
             f"{sums.max():.3g}; a weighted average of probability vectors must still sum "
             "to 1 in every row.")
    expect_close(f"avg ({label.lower()})", avg, want, rtol=RTOL, atol=ATOL)


def _check_labels(label, labels, P, weights, avg):
    n_models, n_samples, _ = P.shape
    expect_shape(f"labels ({label.lower()})", labels, (n_samples,))
    want = avg.argmax(axis=1)
    if np.array_equal(labels, want):
        return
    w = np.ones(n_models) if weights is None else np.asarray(weights, dtype=float)
    tally = np.zeros_like(avg)
    for wi, top in zip(w, P.argmax(axis=2), strict=True):
        tally[np.arange(n_samples), top] += wi
    wrong = int((labels != want).sum())
    if np.array_equal(labels, tally.argmax(axis=1)):
        fail(f"{label}: {wrong} label(s) come from a vote of each model's most probable "
             "class. That is hard voting; a soft vote picks the most probable class of the "
             "averaged probabilities (the argmax of each row of avg).")
    fail(f"{label}: {wrong} of the {n_samples} labels are not the index of the largest "
         "entry in their row of avg (argmax along the classes axis).")


def check(learner, ctx):
    soft_vote = require_function(learner, "soft_vote")
    rng = ctx.rng(11)
    for label, P, weights in _cases(rng):
        label = f"With {label}"
        out = soft_vote(P.copy(), None if weights is None else list(weights))
        if not isinstance(out, tuple) or len(out) != 2:
            fail(f"`soft_vote` should return a pair (avg, labels); it returned a "
                 f"{type(out).__name__}.")
        avg, labels = (np.asarray(v) for v in out)
        _check_avg(label, avg.astype(float), P, weights)
        _check_labels(label, labels, P, weights, avg.astype(float))
