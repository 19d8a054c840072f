"""Mutant: fancy-index += counts each repeated (true, predicted) pair once.

The confusion matrix from scratch, and the error-rate matrix used for error analysis."""

import numpy as np

from homl_tui import report


def confusion_matrix(y_true, y_pred, n_classes):
    """Count how often each true class was predicted as each class.

    Returns an integer array C of shape (n_classes, n_classes) where C[i, j] is the number
    of samples whose true class is i and whose predicted class is j (rows = true,
    columns = predicted). Labels are integers in 0 .. n_classes - 1; a class may be absent.
    """
    y_true = np.asarray(y_true, dtype=np.int64)
    y_pred = np.asarray(y_pred, dtype=np.int64)
    C = np.zeros((n_classes, n_classes), dtype=np.int64)
    C[y_true, y_pred] += 1
    return C


def error_rates(C):
    """Where the errors go: each row divided by its own total, with the diagonal set to 0.

    E[i, j] is the fraction of the samples of true class i that were predicted as j (i != j).
    A row whose class has no samples stays all zeros.
    """
    C = np.asarray(C, dtype=np.float64)
    totals = C.sum(axis=1, keepdims=True)
    E = np.divide(C, totals, out=np.zeros_like(C), where=totals > 0)
    np.fill_diagonal(E, 0.0)
    return E


if __name__ == "__main__":
    from sklearn.datasets import load_digits
    from sklearn.linear_model import SGDClassifier
    from sklearn.model_selection import cross_val_predict

    digits = load_digits()
    X, y = digits.data / 16.0, digits.target
    # "Clean" predictions: each digit is predicted by a model that never saw it in training.
    y_pred = cross_val_predict(SGDClassifier(random_state=0), X, y, cv=3)

    C = confusion_matrix(y, y_pred, 10)
    names = [str(d) for d in range(10)]
    print("accuracy:", round(np.trace(C) / C.sum(), 4))
    print(C)
    report.plot("confusion", C, kind="matrix", x=names, title="confusion matrix (counts)",
                xlabel="predicted", ylabel="true")

    E = error_rates(C)
    i, j = np.unravel_index(np.argmax(E), E.shape)
    print(f"worst confusion: {E[i, j]:.1%} of the true {i}s were predicted as {j}")
    report.plot("errors", np.round(100 * E, 1), kind="matrix", x=names,
                title="errors, % of each true class", xlabel="predicted", ylabel="true")
    wrong = np.flatnonzero((y == i) & (y_pred == j))
    report.plot("example", digits.images[wrong[0]], kind="image",
                title=f"a true {i} predicted as {j}")
