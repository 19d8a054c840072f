"""Check split_and_fit on the wine data (178 wines, 13 features, 3 classes).

1. X_test must be raw rows of X (a scaler fitted before the split changes them), 15-40 % of
   the data, with the matching labels.
2. The model must be a Pipeline whose steps before the SVM were fitted on the training rows
   only: its transform of X must equal that of a fresh copy fitted on the training rows, not
   on all rows (that is how leakage is caught, by behaviour).
3. Quality: a fresh clone of the returned pipeline is fitted on 20 stratified 75/25 splits
   of the check's own (random_state 200..219) and must reach a mean held-out accuracy of at
   least 0.97 (the bar of the exercise).
   Means over 20 such splits (blocks of seeds 0-19 / 100-119 / 200-219):
     StandardScaler + SVC (rbf, C=1), the reference:  0.988 / 0.981 / 0.982
     MinMaxScaler + SVC:                              0.990 / 0.982 / 0.986
     StandardScaler + LinearSVC(C=0.1):               0.987 / 0.983 / 0.990
     StandardScaler + SVC(kernel="linear", C=1):      0.970 / 0.963 / 0.966 (just under)
     SVC without a scaler:                            0.674 / 0.702 / 0.682
"""

import numpy as np
from sklearn.base import clone
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline

from homl_tui.checks import expect_true, fail, require_function

BAR = 0.97
SPLITS = range(200, 220)
SVM_NAMES = ("SVC", "LinearSVC", "NuSVC", "SGDClassifier")


def _row_index(X, X_test):
    """Index in X of every row of X_test, or None if some row is not a row of X."""
    lookup = {row.tobytes(): i for i, row in enumerate(np.ascontiguousarray(X))}
    found = [lookup.get(np.ascontiguousarray(row, dtype=X.dtype).tobytes()) for row in X_test]
    return None if any(i is None for i in found) else np.array(found)


def _held_out_accuracy(model, X, y):
    scores = []
    for seed in SPLITS:
        X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, stratify=y,
                                                  random_state=seed)
        scores.append(clone(model).fit(X_tr, y_tr).score(X_te, y_te))
    return float(np.mean(scores))


def check(learner, ctx):
    fn = require_function(learner, "split_and_fit")
    X, y = load_wine(return_X_y=True)
    out = fn(X.copy(), y.copy(), ctx.seed + 7)
    if not isinstance(out, tuple) or len(out) != 3:
        fail("`split_and_fit` should return (model, X_test, y_test); it returned a "
             f"{type(out).__name__}.")
    model, X_test, y_test = out
    X_test, y_test = np.asarray(X_test, dtype=float), np.asarray(y_test).reshape(-1)
    expect_true(X_test.ndim == 2 and X_test.shape[1] == X.shape[1],
                f"X_test has shape {X_test.shape}; it should hold whole rows of X "
                f"({X.shape[1]} features each).")

    index = _row_index(X, X_test)
    if index is None:
        fail("X_test is not made of rows of X: its values were changed. If you scaled the "
             "data before splitting, the scaler saw the test rows (data leakage). Split the "
             "raw data first; the pipeline scales what it is given, fitted on the training "
             "part only.")
    share = len(index) / len(X)
    expect_true(0.15 <= share <= 0.40 and len(set(index.tolist())) == len(index),
                f"X_test holds {share:.0%} of the rows (or repeats some): hold out about a "
                "quarter of the data (test_size=0.25).")
    expect_true(len(y_test) == len(index) and np.array_equal(y_test, y[index]),
                "y_test does not hold the labels of the rows in X_test: split X and y in "
                "the same call, train_test_split(X, y, ...).")
    train = np.setdiff1d(np.arange(len(X)), index)

    for method in ("fit", "predict", "score"):
        expect_true(hasattr(model, method), f"The returned model has no `{method}` method: "
                    "return the fitted pipeline.")
    final = model.steps[-1][1] if isinstance(model, Pipeline) else model
    expect_true(type(final).__name__ in SVM_NAMES,
                f"The last step of your model is a {type(final).__name__}: this lesson is "
                "about support vector machines, so finish with an SVC or LinearSVC.")

    accuracy = _held_out_accuracy(model, X, y)
    if not isinstance(model, Pipeline) or len(model.steps) < 2:
        fail(f"Your model is a bare {type(final).__name__}, with nothing that scales the "
             f"features (mean held-out accuracy of a fresh copy: {accuracy:.3f}). The wine "
             "features live on very different scales (proline in the hundreds, hue around "
             "1), and an SVM's distances are dominated by the largest. Put a StandardScaler "
             "in front of it, in a pipeline.")

    front = model[:-1]
    try:
        seen = np.asarray(front.transform(X), dtype=float)
    except Exception as exc:  # noqa: BLE001 - an unfitted step raises NotFittedError
        fail(f"The steps before the SVM could not transform the data ({type(exc).__name__}): "
             "return the pipeline after fitting it.")
    fresh_train = np.asarray(clone(front).fit(X[train], y[train]).transform(X), dtype=float)
    fresh_all = np.asarray(clone(front).fit(X, y).transform(X), dtype=float)
    if not np.allclose(seen, fresh_train, rtol=1e-6, atol=1e-9):
        if np.allclose(seen, fresh_all, rtol=1e-6, atol=1e-9):
            fail("Your pipeline was fitted on all the data, test rows included: its scaler's "
                 "statistics are those of the whole data set. The test set must stay unseen "
                 "until the final score, so fit on the training part only.")
        fail("The scaling steps of your pipeline were not fitted on the training rows "
             "(their statistics match neither the training part nor the whole data). Fit "
             "the pipeline once, on X_train and y_train.")

    if accuracy < BAR:
        fail(f"A fresh copy of your pipeline reaches a mean held-out accuracy of {accuracy:.3f} "
             f"over {len(SPLITS)} splits; it needs at least {BAR}. Is there a scaler before the SVM, "
             "and are the SVM's settings sensible? Its defaults are a good start.")
    ctx.report.plot("held-out accuracy", [accuracy, BAR], ["your pipeline", "bar"], kind="bar",
                    title=f"mean over {len(SPLITS)} stratified splits")
