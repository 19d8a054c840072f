"""Check n_binary_classifiers, ovr_predict and ovr_fit.

Counts: n_classes in 3..26 against the formulas (OvR: n, OvO: n (n - 1) / 2).
Models: the digits 2, 3, 5 and 8 only (labels that are not 0..3, so returning column positions
instead of labels shows), 400 training and 316 held-out images, pixels / 16, logistic
regressions. ovr_predict is first tested alone, on models the check trains itself; then
ovr_fit + ovr_predict together must give exactly the predictions of sklearn's
OneVsRestClassifier(LogisticRegression(max_iter=1000)) (they agree on all 316 images;
predicting with 0/1 votes instead of scores changes 15 of them). About 2 s in all.
"""

import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier

from homl_tui.checks import expect_true, fail, require_function

LABELS = [2, 3, 5, 8]


def _make():
    return LogisticRegression(max_iter=1000)


def _check_counts(fn):
    for n in (3, 4, 5, 10, 26):
        got = fn(n, "ovr")
        if got != n:
            fail(f"n_binary_classifiers({n}, 'ovr') returned {got!r}: one versus the rest "
                 "trains one classifier per class (that class against all the others).")
        got = fn(n, "ovo")
        pairs = n * (n - 1) // 2
        if got == pairs:
            continue
        if got == 2 * pairs:
            fail(f"n_binary_classifiers({n}, 'ovo') returned {got!r}: you counted every pair "
                 "twice. The classifier for 3-vs-5 is the same as the one for 5-vs-3, so each "
                 "unordered pair of classes needs one classifier.")
        if got in (pairs + n, n * n):
            fail(f"n_binary_classifiers({n}, 'ovo') returned {got!r}: that count includes "
                 "pairs of a class with itself, which need no classifier.")
        fail(f"n_binary_classifiers({n}, 'ovo') returned {got!r}, which is not right: one "
             "versus one trains one classifier per pair of different classes.")


def _data():
    X, y = load_digits(return_X_y=True)
    keep = np.isin(y, LABELS)
    X, y = X[keep] / 16.0, y[keep]
    order = np.random.default_rng(0).permutation(len(y))
    return X[order[:400]], y[order[:400]], X[order[400:]], y[order[400:]]


def _compare_predictions(got, expected, classes, models, X, where):
    got = np.asarray(got).reshape(-1)
    if got.shape != expected.shape:
        fail(f"{where} returned {got.shape[0]} predictions for {expected.shape[0]} images: "
             "one label per row of X.")
    if np.array_equal(got, expected):
        return
    if set(np.unique(got)) <= set(range(len(classes))) and not set(np.unique(got)) <= set(classes):
        fail(f"{where} the predictions are column positions (0..{len(classes) - 1}), not class "
             "labels. Here the classes are digits that are not 0..3: look the position up in "
             "`classes`.")
    votes = np.column_stack([m.predict(X) for m in models]).astype(float)
    if np.array_equal(got, np.asarray(classes)[np.argmax(votes, axis=1)]):
        fail(f"{where} the predictions come from predict(), the 0/1 answers of the binary "
             "classifiers. When two say 'yes' (or none does) the tie is broken by position, "
             "not by confidence. Compare their decision_function scores instead.")
    wrong = int(np.sum(got != expected))
    fail(f"{where} {wrong} of {len(expected)} predictions differ from the label of the "
         "highest-scoring binary classifier.")


def check(learner, ctx):
    _check_counts(require_function(learner, "n_binary_classifiers"))
    ovr_fit = require_function(learner, "ovr_fit")
    ovr_predict = require_function(learner, "ovr_predict")
    X_train, y_train, X_test, y_test = _data()
    classes = np.array(LABELS)

    # ovr_predict alone, on models fitted by the check.
    models = [_make().fit(X_train, y_train == label) for label in classes]
    scores = np.column_stack([m.decision_function(X_test) for m in models])
    expected = classes[np.argmax(scores, axis=1)]
    got = ovr_predict(classes.copy(), list(models), X_test.copy())
    _compare_predictions(got, expected, classes, models, X_test, "In ovr_predict (given models "
                         "trained by the check):")

    # ovr_fit, then both together against sklearn.
    out = ovr_fit(_make, X_train.copy(), y_train.copy())
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        fail(f"ovr_fit should return (classes, models); it returned a {type(out).__name__}.")
    got_classes, got_models = np.asarray(out[0]), list(out[1])
    expect_true(got_classes.shape == classes.shape and np.array_equal(got_classes, classes),
                "The `classes` returned by ovr_fit are not the sorted distinct labels of y "
                "(np.unique(y)).")
    expect_true(len(got_models) == len(classes),
                f"ovr_fit returned {len(got_models)} models for {len(classes)} classes: train "
                "exactly one per class.")
    if len({id(m) for m in got_models}) < len(got_models):
        fail("Several entries of `models` are the same object: one classifier was refitted for "
             "every class, so only its last fit survives. Call make_classifier() once per "
             "class to get a new classifier each time.")
    for label, model in zip(classes, got_models, strict=True):
        n_seen = len(getattr(model, "classes_", []))
        expect_true(n_seen == 2,
                    f"The model for class {label} was trained on {n_seen} classes; each model "
                    "must be trained on a binary target: is the label this class, or not?")
    sk = OneVsRestClassifier(_make()).fit(X_train, y_train).predict(X_test)
    got = ovr_predict(classes.copy(), got_models, X_test.copy())
    _compare_predictions(got, sk, classes, got_models, X_test,
                         "In ovr_predict(*ovr_fit(...)), compared with sklearn's "
                         "OneVsRestClassifier:")
    accuracy = float(np.mean(np.asarray(got) == y_test))
    print(f"one-versus-the-rest on the digits {LABELS}: held-out accuracy {accuracy:.3f}")
