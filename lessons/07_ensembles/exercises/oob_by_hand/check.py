"""Check oob_proba and oob_accuracy against scikit-learn's own out-of-bag results.

A RandomForestClassifier fitted with oob_score=True stores oob_decision_function_ (the
out-of-bag probabilities) and oob_score_ (their accuracy). The learner's functions must
reproduce both (atol 1e-9) on two data sets: wine (3 classes, labels 0-2) and moons with
labels 1 and 2 (so a column index is not a label). With 40-60 trees, the chance that some
example is never out of bag is below 1e-6, so no division by zero can occur.
The bar plot compares training, out-of-bag, 5-fold CV and test accuracy on wine.
"""

import numpy as np
from sklearn.datasets import load_wine, make_moons
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import cross_val_score, train_test_split

from homl_tui.checks import expect_close, expect_shape, fail, require_function

ATOL = 1e-9


def _cases(seed):
    X, y = load_wine(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y,
                                                        random_state=seed)
    yield ("wine (3 classes)", X_train, y_train, X_test, y_test,
           RandomForestClassifier(n_estimators=60, min_samples_leaf=2, oob_score=True,
                                  random_state=seed, n_jobs=1))
    X, y = make_moons(300, noise=0.3, random_state=seed)
    yield ("moons with labels 1 and 2", X, y + 1, None, None,
           RandomForestClassifier(n_estimators=40, min_samples_leaf=3, max_depth=6,
                                  oob_score=True, random_state=seed + 1, n_jobs=1))


def _in_bag_mean(forest, X):
    n = X.shape[0]
    total = np.zeros((n, len(forest.classes_)))
    count = np.zeros(n)
    for tree, in_bag in zip(forest.estimators_, forest.estimators_samples_, strict=True):
        seen = np.zeros(n, dtype=bool)
        seen[in_bag] = True
        total[seen] += tree.predict_proba(X[seen])
        count[seen] += 1
    return total / np.maximum(count, 1)[:, None]


def _oob_counts(forest, n):
    count = np.zeros(n)
    for in_bag in forest.estimators_samples_:
        out = np.ones(n, dtype=bool)
        out[in_bag] = False
        count += out
    return count


def _close(a, b):
    return a.shape == b.shape and np.allclose(a, b, atol=1e-7)


def _check_proba(name, got, forest, X):
    want = forest.oob_decision_function_
    expect_shape(f"oob_proba(...) on {name}", got, want.shape)
    if np.allclose(got, want, atol=ATOL):
        return
    if _close(got, forest.predict_proba(X)):
        fail(f"On {name}, oob_proba equals the forest's ordinary predict_proba: every tree "
             "voted, including the trees that were trained on that example. That is (close "
             "to) training accuracy, not an out-of-bag estimate. Use only the trees whose "
             "bootstrap sample did not contain the example.")
    if _close(got, _in_bag_mean(forest, X)):
        fail(f"On {name}, each example was scored by the trees that DID see it: "
             "estimators_samples_ lists the in-bag examples of each tree. The out-of-bag "
             "examples are all the others (start from a mask of True and set the in-bag "
             "indices to False).")
    n_oob = _oob_counts(forest, X.shape[0])
    if _close(got, want * (n_oob / len(forest.estimators_))[:, None]):
        fail(f"On {name}, the rows of oob_proba sum to less than 1: the summed probabilities "
             "were divided by the number of trees in the forest. Divide each row by the "
             "number of trees that left THAT example out (it differs from row to row).")
    expect_close(f"oob_proba(...) on {name}", got, want, atol=ATOL, rtol=0)


def _check_accuracy(name, acc, forest, X, y):
    try:
        acc = float(acc)
    except (TypeError, ValueError):
        fail(f"`oob_accuracy` returned a {type(acc).__name__}; return one number, the "
             "fraction of examples whose out-of-bag prediction is right.")
    if np.isclose(acc, forest.oob_score_, atol=ATOL):
        return
    index = forest.oob_decision_function_.argmax(axis=1)
    if np.isclose(acc, np.mean(index == y), atol=ATOL):
        fail(f"On {name}, oob_accuracy compared column indices (0, 1, ...) with the labels "
             "in y. The columns follow forest.classes_: turn the index of the best column "
             "into a label with forest.classes_[index] before comparing.")
    if np.isclose(acc, forest.score(X, y), atol=ATOL):
        fail(f"On {name}, oob_accuracy returned the training accuracy (every tree voting). "
             "Score the out-of-bag predictions from oob_proba.")
    fail(f"On {name}, oob_accuracy returned {acc:.4f}, which is not the accuracy of the "
         "most probable class of each row of oob_proba.")


def check(learner, ctx):
    oob_proba = require_function(learner, "oob_proba")
    oob_accuracy = require_function(learner, "oob_accuracy")
    for name, X, y, X_test, y_test, forest in _cases(ctx.seed + 5):
        forest.fit(X, y)
        got = oob_proba(forest, X.copy())
        if got is None:
            fail("`oob_proba` returned None: did you forget to `return` the result?")
        _check_proba(name, np.asarray(got, dtype=float), forest, X)
        acc = oob_accuracy(forest, X.copy(), y.copy())
        _check_accuracy(name, acc, forest, X, y)
        if X_test is not None:
            scores = {"training": forest.score(X, y), "out-of-bag": float(acc),
                      "5-fold CV": cross_val_score(forest, X, y, cv=5).mean(),
                      "test": forest.score(X_test, y_test)}
            ctx.report.plot("estimates", list(scores.values()), list(scores), kind="bar",
                            title=f"accuracy estimates of one random forest on {name}")
