"""The widest street: a hard-margin linear SVM, its street width and its support vectors.

Run this file to fit the SVM on two iris species and draw its boundary; Check to test it.
"""

import numpy as np
from sklearn.datasets import load_iris
from sklearn.svm import SVC

from homl_tui import report


def hard_margin_svm(X, y):
    """Fit a hard-margin linear SVM on separable data X (m, 2), y in {0, 1}.

    Return (model, width, n_support): the fitted SVC, the width of the street
    2 / ||w||, and the number of support vectors (both classes together).
    """
    # TODO 1: a linear SVC that tolerates NO margin violations (think about C), fitted on X, y.
    # TODO 2: w is model.coef_[0]; the street width is 2 / ||w||  (np.linalg.norm).
    # TODO 3: count the support vectors of BOTH classes.
    raise NotImplementedError("hard_margin_svm: fill in the TODOs")


if __name__ == "__main__":
    iris = load_iris()
    keep = iris.target < 2  # setosa (0) and versicolor (1): linearly separable
    X, y = iris.data[keep][:, 2:4], iris.target[keep]  # petal length, petal width (cm)

    model, width, n_support = hard_margin_svm(X, y)
    w, b = model.coef_[0], model.intercept_[0]
    print(f"w = {np.round(w, 4)}, b = {b:.4f}")
    print(f"street width 2/||w|| = {width:.4f} cm, support vectors: {n_support}")
    print("support vectors:\n", model.support_vectors_)
    margins = (2 * y - 1) * model.decision_function(X)
    print(f"smallest t * (w.x + b) over the training set: {margins.min():.4f}")
    report.boundary("hard margin (iris petals)", model.predict, X, y,
                    title="setosa (0) vs versicolor (1)", xlabel="petal length",
                    ylabel="petal width")
