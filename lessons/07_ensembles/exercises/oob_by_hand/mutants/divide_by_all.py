"""Mutant: divides the summed probabilities by the number of trees in the forest.

Out-of-bag evaluation by hand: score each training example with the trees that never saw it."""

import numpy as np

from homl_tui import report


def oob_proba(forest, X):
    """Out-of-bag class probabilities of a fitted RandomForestClassifier (bootstrap=True).

    X is the training set the forest was fitted on. Row j of the result is the average of
    tree.predict_proba over the trees whose bootstrap sample did NOT contain example j;
    shape (n_samples, n_classes), columns in the order of forest.classes_.
    """
    n = X.shape[0]
    total = np.zeros((n, len(forest.classes_)))
    for tree, in_bag in zip(forest.estimators_, forest.estimators_samples_, strict=True):
        out = np.ones(n, dtype=bool)
        out[in_bag] = False
        total[out] += tree.predict_proba(X[out])
    return total / len(forest.estimators_)


def oob_accuracy(forest, X, y):
    """Accuracy of the out-of-bag predictions: the most probable class of each oob_proba row."""
    predicted = forest.classes_[oob_proba(forest, X).argmax(axis=1)]
    return float(np.mean(predicted == y))


if __name__ == "__main__":
    from sklearn.datasets import load_wine
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.model_selection import cross_val_score, train_test_split

    X, y = load_wine(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y,
                                                        random_state=0)
    forest = RandomForestClassifier(n_estimators=100, min_samples_leaf=2, oob_score=True,
                                    random_state=0, n_jobs=1).fit(X_train, y_train)
    scores = {
        "training set": forest.score(X_train, y_train),
        "out-of-bag (yours)": oob_accuracy(forest, X_train, y_train),
        "out-of-bag (sklearn)": forest.oob_score_,
        "5-fold CV": cross_val_score(forest, X_train, y_train, cv=5).mean(),
        "test set": forest.score(X_test, y_test),
    }
    for name, value in scores.items():
        print(f"{name:>21}: {value:.4f}")
    report.plot("estimates", list(scores.values()), list(scores), kind="bar",
                title="accuracy estimates of one random forest on wine")
