"""Out-of-bag evaluation by hand: score each training example with the trees that never saw it.

Run this file to compare your out-of-bag score with cross-validation and a test set;
Check to test `oob_proba` and `oob_accuracy` against scikit-learn's own.
"""

import numpy as np

from homl_tui import report


def oob_proba(forest, X):
    """Out-of-bag class probabilities of a fitted RandomForestClassifier (bootstrap=True).

    X is the training set the forest was fitted on. Row j of the result is the average of
    tree.predict_proba over the trees whose bootstrap sample did NOT contain example j;
    shape (n_samples, n_classes), columns in the order of forest.classes_.
    """
    # TODO 1: start two accumulators: a (n_samples, n_classes) array of summed probabilities
    #         and a (n_samples,) count of the trees that left each example out.
    # TODO 2: loop over zip(forest.estimators_, forest.estimators_samples_). The second item
    #         holds the indices of the tree's bootstrap sample (the examples it DID see,
    #         some of them several times). Build a boolean mask of the other examples,
    #         add tree.predict_proba(X[mask]) to their rows and 1 to their counts.
    # TODO 3: return the sums divided by the counts (one count per row).
    raise NotImplementedError("oob_proba: fill in the TODOs")


def oob_accuracy(forest, X, y):
    """Accuracy of the out-of-bag predictions: the most probable class of each oob_proba row."""
    # TODO 4: the predicted class of each row of oob_proba(forest, X) is the column with the
    #         largest probability; columns follow forest.classes_, so map the column index
    #         to a label with forest.classes_[...]. Return the fraction predicted correctly.
    raise NotImplementedError("oob_accuracy: fill in the TODO")


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
