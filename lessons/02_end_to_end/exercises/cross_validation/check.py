"""Check cv_rmse against cross_val_score on seeded synthetic data, then the cross-validated
RMSE of the learner's build_model() on the districts.

cv_rmse: exact comparison (rtol 1e-6) with the reference on three cases (a linear model, a
decision tree, and the districts pipeline on a DataFrame).

Model threshold. Data: the training part of a stratified 80/20 split of the districts
(random_state 42), subsampled to 4000 rows, 5 shuffled folds. Reference (preprocessing +
LinearRegression), mean CV RMSE over subsample/fold seeds 0-4: 62,325 / 60,774 / 62,013 /
62,598 / 61,216 dollars. For comparison: an unlimited decision tree 78,930-81,086, a tree of
depth 3 69,283-70,646, a small random forest (30 trees, min_samples_leaf 5) 57,065-58,400.
We allow 66,000 (about 5% above the worst linear run). The check uses seed 0 (about 1 s).
"""

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import KFold, cross_val_score, train_test_split
from sklearn.tree import DecisionTreeRegressor

from homl_tui.checks import expect_close, expect_true, fail, require_function
from homl_tui.checks.context import quietly
from homl_tui.datasets import load_districts

TARGET = "median_house_value"
MAX_CV_RMSE = 66_000
SUBSAMPLE = 4000


def _rows(data, idx):
    return data.iloc[idx] if hasattr(data, "iloc") else data[idx]


def _training_fold_rmse(model, X, y, folds, seed):
    out = []
    for train_idx, _ in KFold(folds, shuffle=True, random_state=seed).split(X):
        fitted = clone(model).fit(_rows(X, train_idx), _rows(y, train_idx))
        err = fitted.predict(_rows(X, train_idx)) - _rows(y, train_idx)
        out.append(np.sqrt(np.mean(np.asarray(err, dtype=float) ** 2)))
    return np.array(out)


def _same(a, b):
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-6, atol=1e-6)


def _check_case(cv_rmse, reference, model, X, y, folds, seed, label):
    where = f"({label}, folds={folds}, seed={seed})"
    out = cv_rmse(clone(model), X.copy(), y.copy(), folds, seed)
    if out is None:
        fail(f"cv_rmse returned None {where}: return the array of per-fold RMSEs.")
    got = np.asarray(out, dtype=float).reshape(-1)
    want = np.asarray(quietly(reference, clone(model), X, y, folds, seed), dtype=float)
    if got.size != folds:
        fail(f"cv_rmse returned {got.size} value(s) {where}: return one RMSE per fold.")
    if _same(got, want):
        return
    if _same(got, -want):
        fail(f"cv_rmse returned negative numbers {where}. scikit-learn's scorers follow "
             "'greater is better', so the RMSE scorer gives the RMSE negated: flip the sign "
             "back.")
    if _same(got, want**2):
        fail(f"cv_rmse {where} returns the mean SQUARED error (in dollars squared): take the "
             "root mean squared error instead.")
    if _same(got, _training_fold_rmse(model, X, y, folds, seed)):
        fail(f"cv_rmse {where} measures each model on the rows it was trained on: that is a "
             "training error, which flatters models that memorize. Score each fold's model on "
             "the held-out (validation) rows only.")
    unshuffled = -cross_val_score(clone(model), X, y, cv=KFold(folds),
                                  scoring="neg_root_mean_squared_error")
    if _same(np.sort(got), np.sort(unshuffled)):
        fail(f"cv_rmse {where} uses folds in the stored order of the rows (no shuffle, no "
             "seed). Build the folds with KFold(n_splits=folds, shuffle=True, "
             "random_state=seed), as the docstring says.")
    expect_close(f"cv_rmse(...) {where}", got, want, rtol=1e-6, atol=1e-6)


def _districts_train():
    df = load_districts()
    strata = pd.cut(df["median_income"], [0, 1.5, 3, 4.5, 6, np.inf], labels=False)
    train, _ = train_test_split(df, test_size=0.2, stratify=strata, random_state=42)
    return train


def check(learner, ctx):
    cv_rmse = require_function(learner, "cv_rmse")
    build_model = require_function(learner, "build_model")
    reference = ctx.reference.cv_rmse

    rng = ctx.rng(5)
    X = rng.normal(size=(120, 3))
    y = X @ np.array([3.0, -2.0, 0.5]) + 4.0 + rng.normal(0, 0.8, size=120)
    _check_case(cv_rmse, reference, LinearRegression(), X, y, 5, 3, "a linear model")
    X = rng.uniform(-3, 3, size=(90, 2))
    y = np.sin(X[:, 0]) * 5 + X[:, 1] + rng.normal(0, 1.0, size=90)
    _check_case(cv_rmse, reference, DecisionTreeRegressor(random_state=0), X, y, 3, 11,
                "a decision tree")
    train = _districts_train()
    small = train.sample(600, random_state=1)
    _check_case(cv_rmse, reference, ctx.reference.build_model(), small.drop(columns=TARGET),
                small[TARGET], 4, 5, "the districts pipeline on a DataFrame")

    model = build_model()
    for method in ("fit", "predict"):
        expect_true(hasattr(model, method), f"build_model returned a {type(model).__name__}, "
                    f"which has no `{method}`: return an (unfitted) pipeline.")
    sub = train.sample(SUBSAMPLE, random_state=0)
    X, y = sub.drop(columns=TARGET), sub[TARGET]
    score = float(np.mean(quietly(reference, model, X, y, 5, 0)))
    if not np.isfinite(score):
        fail("The cross-validated RMSE of your model is not a finite number: its predictions "
             "contain NaN or infinity.")
    if score > MAX_CV_RMSE:
        fail(f"The cross-validated RMSE of your model (5 folds, {SUBSAMPLE} districts) is "
             f"${score:,.0f}; it needs to be at most ${MAX_CV_RMSE:,}. A model that fits "
             "its training rows perfectly can still predict new rows badly: compare the "
             "training and cross-validated errors (press Run) and prefer a simpler or "
             "regularized model when they are far apart.")
