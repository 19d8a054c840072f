"""Mutant: macro F1 computed as the harmonic mean of macro precision and macro recall.

Precision, recall and F1 from scratch: for one positive class, then macro-averaged."""

import numpy as np

from homl_tui import report


def precision_recall_f1(y_true, y_pred):
    """Precision, recall and F1 of binary labels, where 1 (or True) is the positive class.

    Returns three Python floats. A score whose denominator is 0 (for example precision when
    nothing is predicted positive) is defined as 0.0, like sklearn's zero_division=0.
    """
    y_true = np.asarray(y_true).astype(bool)
    y_pred = np.asarray(y_pred).astype(bool)
    tp = int(np.sum(y_true & y_pred))
    fp = int(np.sum(~y_true & y_pred))
    fn = int(np.sum(y_true & ~y_pred))
    precision = tp / (tp + fp) if tp + fp > 0 else 0.0
    recall = tp / (tp + fn) if tp + fn > 0 else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return float(precision), float(recall), float(f1)


def macro_scores(y_true, y_pred, n_classes):
    """Macro-averaged precision, recall and F1 over the classes 0 .. n_classes - 1.

    Each class in turn is the positive class (one versus the rest); the three scores of
    every class are computed, then each kind is averaged with equal weight per class.
    """
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    per_class = [precision_recall_f1(y_true == k, y_pred == k) for k in range(n_classes)]
    precision, recall, _ = np.mean(per_class, axis=0)
    f1 = 2 * precision * recall / (precision + recall)
    return float(precision), float(recall), float(f1)


if __name__ == "__main__":
    from sklearn.datasets import load_digits
    from sklearn.linear_model import SGDClassifier
    from sklearn.model_selection import train_test_split

    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X / 16.0, y, test_size=0.25,
                                                        stratify=y, random_state=0)

    # A binary detector: "is it an 8?"
    is8 = SGDClassifier(random_state=0).fit(X_train, y_train == 8)
    p, r, f1 = precision_recall_f1(y_test == 8, is8.predict(X_test))
    always_no = np.mean(y_test != 8)
    print(f"'is it an 8?'  precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}")
    print(f"(a model that always answers 'no' is {always_no:.1%} accurate)")

    # All ten digits: one score per class, then the macro average.
    model = SGDClassifier(random_state=0).fit(X_train, y_train)
    y_pred = model.predict(X_test)
    f1s = [precision_recall_f1(y_test == k, y_pred == k)[2] for k in range(10)]
    mp, mr, mf = macro_scores(y_test, y_pred, 10)
    print(f"10 digits      macro precision {mp:.3f}  macro recall {mr:.3f}  macro F1 {mf:.3f}")
    print(f"accuracy {np.mean(y_pred == y_test):.3f}")
    report.plot("f1", f1s, [str(k) for k in range(10)], kind="bar", title="F1 of each digit")
