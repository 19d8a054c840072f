"""Three roads to one linear SVM: LinearSVC, SVC(kernel="linear") and SGDClassifier(hinge)."""

import numpy as np
from sklearn.datasets import make_classification
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, LinearSVC

from homl_tui import report


def three_svms(X_train, y_train, C):
    """Fit three pipelines that solve the same soft-margin linear SVM problem with this C.

    Return (linear_svc, svc, sgd), each a fitted Pipeline(StandardScaler, classifier).
    """
    m = len(X_train)
    linear_svc = make_pipeline(StandardScaler(),
                               LinearSVC(C=C, loss="hinge", max_iter=50_000, random_state=42))
    svc = make_pipeline(StandardScaler(), SVC(kernel="linear", C=C))
    sgd = make_pipeline(StandardScaler(),
                        SGDClassifier(loss="hinge", alpha=1 / (m * C), max_iter=2000,
                                      tol=1e-6, random_state=42))
    for model in (linear_svc, svc, sgd):
        model.fit(X_train, y_train)
    return linear_svc, svc, sgd


if __name__ == "__main__":
    X, y = make_classification(n_samples=600, n_features=5, n_informative=3, n_redundant=0,
                               class_sep=1.5, random_state=1)
    X = X * np.array([1, 10, 100, 0.1, 5.0])  # features on very different scales
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.33, random_state=1)
    models = three_svms(X_train, y_train, C=0.1)
    names = ("LinearSVC", "SVC(linear)", "SGDClassifier")
    scores = [model.decision_function(X_test) for model in models]
    for name, model in zip(names, models, strict=True):
        w = model[-1].coef_.ravel()
        print(f"{name:14s} held-out accuracy {model.score(X_test, y_test):.3f}  "
              f"w = {np.round(w, 3)}  b = {model[-1].intercept_[0]:.3f}")
    same = np.mean((scores[0] > 0) == (scores[2] > 0))
    print(f"LinearSVC and SGDClassifier agree on {same:.1%} of the held-out points")
    report.plot("SGDClassifier vs SVC", scores[2], scores[1], kind="scatter",
                labels=y_test, title="decision function values (x: SVC, y: SGD)")
