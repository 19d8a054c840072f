"""Wine, scaled properly: split first, then let a pipeline scale and fit on the training part.

Run this file to see how different the feature scales are and to score your model;
Check to test it (the bar: at least 0.97 held-out accuracy).
"""

from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from homl_tui import report


def split_and_fit(X, y, seed):
    """Hold out a stratified test set, fit a scaled SVM on the rest.

    Return (model, X_test, y_test): the fitted pipeline and the untouched test rows.
    """
    # TODO 1: split the RAW data first: train_test_split with test_size=0.25, stratify=y and
    #         random_state=seed.
    # TODO 2: build a pipeline that scales the features, then classifies with an SVM
    #         (make_pipeline(...)).
    # TODO 3: fit it on the training part only, and return (model, X_test, y_test).
    raise NotImplementedError("split_and_fit: fill in the TODOs")


if __name__ == "__main__":
    wine = load_wine()
    X, y = wine.data, wine.target
    print("feature ranges (min .. max):")
    for name, column in zip(wine.feature_names, X.T, strict=True):
        print(f"  {name:30s} {column.min():9.2f} .. {column.max():9.2f}")

    model, X_test, y_test = split_and_fit(X, y, seed=42)
    print(f"\n{len(y) - len(y_test)} training rows, {len(y_test)} test rows")
    print(f"held-out accuracy: {model.score(X_test, y_test):.3f}")

    from sklearn.metrics import confusion_matrix
    matrix = confusion_matrix(y_test, model.predict(X_test))
    report.plot("wine confusion matrix", matrix, kind="matrix", x=list(wine.target_names),
                title="held-out wines", xlabel="predicted", ylabel="true")
