"""Precision, recall and F1 from scratch: for one positive class, then macro-averaged.

Press Run to score an "is it an 8?" detector and a 10-digit classifier; press Check to
compare your functions with sklearn.metrics on random labels. Do not use sklearn.metrics here.
"""

import numpy as np

from homl_tui import report


def precision_recall_f1(y_true, y_pred):
    """Precision, recall and F1 of binary labels, where 1 (or True) is the positive class.

    Returns three Python floats. A score whose denominator is 0 (for example precision when
    nothing is predicted positive) is defined as 0.0, like sklearn's zero_division=0.
    """
    # TODO 1: turn both inputs into boolean arrays and count TP, FP and FN.
    # TODO 2: precision = TP / (TP + FP)  (of the predicted positives, how many are right)
    #         recall    = TP / (TP + FN)  (of the real positives, how many were found)
    #         Use 0.0 whenever a denominator is 0 (no division by zero, no NaN).
    # TODO 3: F1 is the harmonic mean of precision and recall (0.0 when both are 0).
    raise NotImplementedError("precision_recall_f1: fill in the TODOs")


def macro_scores(y_true, y_pred, n_classes):
    """Macro-averaged precision, recall and F1 over the classes 0 .. n_classes - 1.

    Each class in turn is the positive class (one versus the rest); the three scores of
    every class are computed, then each kind is averaged with equal weight per class.
    """
    # TODO 4: for every class k, score the binary problem (y_true == k, y_pred == k) with
    #         precision_recall_f1, then average the precisions, the recalls and the F1
    #         scores separately. Return three floats.
    raise NotImplementedError("macro_scores: fill in the TODOs")


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
