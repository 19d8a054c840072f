"""Mutant: predicts from the 0/1 answers of predict() instead of the scores.

Multiclass from binary classifiers: one-versus-the-rest by hand, and how many models it takes."""

import numpy as np

from homl_tui import report


def n_binary_classifiers(n_classes, strategy):
    """How many binary classifiers a strategy trains for n_classes (>= 3) classes.

    strategy is "ovr" (one versus the rest) or "ovo" (one versus one).
    """
    if strategy == "ovr":
        return n_classes
    if strategy == "ovo":
        return n_classes * (n_classes - 1) // 2
    raise ValueError(f"unknown strategy {strategy!r}")


def ovr_fit(make_classifier, X, y):
    """Train one binary classifier per class: class k (positive) against all the others.

    make_classifier() returns a fresh, unfitted binary classifier with a decision_function.
    Returns (classes, models): the sorted distinct labels of y, and one fitted model per
    class, in the same order.
    """
    y = np.asarray(y)
    classes = np.unique(y)
    models = [make_classifier().fit(X, y == label) for label in classes]
    return classes, models


def ovr_predict(classes, models, X):
    """For every row of X, the label whose binary classifier gives the highest score."""
    scores = np.column_stack([model.predict(X) for model in models])
    return np.asarray(classes)[np.argmax(scores, axis=1)]


if __name__ == "__main__":
    from sklearn.datasets import load_digits
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    X_train, X_test, y_train, y_test, _, img_test = train_test_split(
        digits.data / 16.0, digits.target, digits.images, test_size=0.25,
        stratify=digits.target, random_state=0)

    for n in (3, 10, 100):
        print(f"{n:3d} classes: OvR trains {n_binary_classifiers(n, 'ovr'):4d} binary "
              f"classifiers, OvO trains {n_binary_classifiers(n, 'ovo'):4d}")

    classes, models = ovr_fit(lambda: LogisticRegression(max_iter=1000), X_train, y_train)
    y_pred = ovr_predict(classes, models, X_test)
    print(f"one-versus-the-rest with {len(models)} logistic regressions: "
          f"test accuracy {np.mean(y_pred == y_test):.3f}")

    i = int(np.flatnonzero(y_pred != y_test)[0])       # a digit it gets wrong
    scores = [m.decision_function(X_test[i:i + 1])[0] for m in models]
    print(f"test digit #{i}: true {y_test[i]}, predicted {y_pred[i]}")
    report.plot("digit", img_test[i], kind="image", title=f"true {y_test[i]}, predicted {y_pred[i]}")
    report.plot("scores", scores, [str(c) for c in classes], kind="bar",
                title="score of each binary classifier for this digit")
