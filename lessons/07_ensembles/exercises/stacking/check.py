"""Check stacking: out-of-fold features, what the blender was trained on, and held-out accuracy.

The check hands fit_stacking a "spy" blender (a logistic regression that remembers the
features it was fitted on), so it can compare the blender's training inputs with true
out-of-fold predictions: a blender trained on in-sample predictions is caught by what it
saw, whatever the code looks like.
Data: breast cancer, stratified 70/30 split (random_state 2024); base models: scaled logistic
regression, a 30-tree random forest, scaled 7-NN; cv = StratifiedKFold(5, shuffle=True).
Threshold: held-out accuracy of the stack at least 0.94 (10 errors or fewer of 171).
The reference (blender: logistic regression) on 6 splits, random_state 0-4 and 2024 (the same
seed for the cv): 0.9649 0.9708 0.9708 0.9942 0.9649 0.9591 (min 0.9591, on the check's split).
The check also compares the predictions with those of the same stack exactly, so the
threshold is a last guard, not the main test.
"""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict, train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from homl_tui.checks import expect_at_least, expect_shape, fail, require_function

SPLIT_SEED = 2024
THRESHOLD = 0.94
NAMES = ["the logistic regression", "the random forest", "the 7-NN"]


class SpyBlender(ClassifierMixin, BaseEstimator):
    """A logistic regression that keeps a copy of the features it was fitted on."""

    def __init__(self, C=1.0):
        self.C = C

    def fit(self, X, y):
        self.seen_X_ = np.array(X, dtype=float, copy=True)
        self.model_ = LogisticRegression(C=self.C, max_iter=1000).fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict(self, X):
        return self.model_.predict(X)

    def predict_proba(self, X):
        return self.model_.predict_proba(X)


def _base():
    return [make_pipeline(StandardScaler(), LogisticRegression()),
            RandomForestClassifier(n_estimators=30, random_state=0, n_jobs=1),
            make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=7))]


def _cv():
    return StratifiedKFold(n_splits=5, shuffle=True, random_state=SPLIT_SEED)


def _oof(X, y):
    return np.hstack([cross_val_predict(e, X, y, cv=_cv(), method="predict_proba")
                      for e in _base()])


def _in_sample(X, y):
    return np.hstack([clone(e).fit(X, y).predict_proba(X) for e in _base()])


def _explain_features(what, Z, X, y, oof):
    n = X.shape[0]
    if Z.ndim == 2 and Z.shape == (n, len(NAMES)) and np.isin(Z, np.unique(y)).all():
        fail(f"{what} hold one column of predicted labels per model (shape {Z.shape}). Stack "
             "probabilities instead: method='predict_proba' gives the blender each model's "
             "confidence, one column per class.")
    expect_shape(what, Z, oof.shape)
    if np.allclose(Z, oof, atol=1e-8):
        return
    if np.allclose(Z, _in_sample(X, y), atol=1e-8):
        fail(f"{what} are in-sample predictions: each base model predicted the very examples "
             "it was trained on. Those predictions are far more confident and accurate than "
             "on new data, so the blender learns to trust the wrong models. Use out-of-fold "
             "predictions: cross_val_predict(est, X, y, cv=cv, method='predict_proba').")
    col = int(np.argmax(np.abs(Z - oof).max(axis=0)))
    fail(f"{what} differ from the out-of-fold probabilities (first in column {col}, which "
         f"belongs to {NAMES[col // 2]}). Use the cv you were given, method='predict_proba', "
         "and keep the models in their given order.")


def _check_refit(fitted, X_train, y_train, X_test):
    if not isinstance(fitted, (list, tuple)) or len(fitted) != len(NAMES):
        fail(f"fit_stacking should return (fitted_estimators, blender) with one fitted "
             f"estimator per base model ({len(NAMES)}); got {type(fitted).__name__}.")
    for name, est, ref in zip(NAMES, fitted, _base(), strict=True):
        want = clone(ref).fit(X_train, y_train).predict_proba(X_test)
        try:
            got = est.predict_proba(X_test)
        except Exception as exc:  # noqa: BLE001 - any failure here means "not fitted"
            fail(f"The fitted version of {name} returned by fit_stacking cannot predict "
                 f"({type(exc).__name__}). Fit a clone of every base estimator on all of X.")
        if not np.allclose(got, want, atol=1e-8):
            fail(f"The fitted version of {name} returned by fit_stacking behaves differently "
                 "from one trained on the whole training set. The models used in "
                 "cross-validation each saw only part of the data; once the blender is "
                 "trained, refit a fresh clone of every base estimator on all of X, y.")


def check(learner, ctx):
    out_of_fold_features = require_function(learner, "out_of_fold_features")
    fit_stacking = require_function(learner, "fit_stacking")
    predict_stacking = require_function(learner, "predict_stacking")
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y,
                                                        random_state=SPLIT_SEED)
    oof = _oof(X_train, y_train)

    Z = out_of_fold_features(_base(), X_train.copy(), y_train.copy(), _cv())
    if Z is None:
        fail("`out_of_fold_features` returned None: did you forget to `return` the result?")
    _explain_features("The features from out_of_fold_features", np.asarray(Z, dtype=float),
                      X_train, y_train, oof)

    out = fit_stacking(_base(), SpyBlender(), X_train.copy(), y_train.copy(), _cv())
    if not isinstance(out, tuple) or len(out) != 2:
        fail(f"`fit_stacking` should return a pair (fitted_estimators, blender); it returned "
             f"a {type(out).__name__}.")
    fitted, blender = out
    seen = getattr(blender, "seen_X_", None)
    if seen is None:
        fail("The blender returned by fit_stacking was never fitted: call blender.fit(...) "
             "on the out-of-fold features and return that blender.")
    _explain_features("The features your blender was trained on", seen, X_train, y_train, oof)
    _check_refit(fitted, X_train, y_train, X_test)

    pred = np.asarray(predict_stacking(fitted, blender, X_test.copy()))
    expect_shape("predict_stacking(...)", pred, y_test.shape)
    ref_features = np.hstack([clone(e).fit(X_train, y_train).predict_proba(X_test)
                              for e in _base()])
    want = blender.predict(ref_features)
    if not np.array_equal(pred, want):
        fail(f"predict_stacking disagrees with the stack on {int((pred != want).sum())} test "
             "example(s). Give the blender the fitted models' predict_proba, side by side in "
             "the training order, exactly as in training.")
    acc = float(np.mean(pred == y_test))
    names = ["logreg", "forest", "7-NN", "stack"]
    accs = [est.score(X_test, y_test) for est in fitted] + [acc]
    ctx.report.plot("stack", accs, names, kind="bar",
                    title="held-out accuracy: base models and your stack")
    expect_at_least("The stack's accuracy on held-out data", acc, THRESHOLD)
