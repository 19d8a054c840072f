"""Mutant: fits on all the data, then scores on the held-out part (leakage).

A digit classifier that is at least 98% accurate on held-out images."""

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler
from sklearn.svm import SVC

from homl_tui import report

TEST_SIZE = 0.25


def build_model():
    """An unfitted model (or pipeline) that takes the raw pixel values, 0 to 16."""
    # The RBF kernel compares images by distance; gamma=0.25 suits pixels in [0, 1].
    return make_pipeline(MinMaxScaler(), SVC(gamma=0.25, C=1.0))


def train_and_evaluate(X, y, seed):
    """Split, train on the training part only, and score on the held-out part.

    The split: train_test_split(X, y, test_size=TEST_SIZE, stratify=y, random_state=seed).
    Returns (fitted_model, held_out_accuracy).
    """
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=TEST_SIZE, stratify=y, random_state=seed)
    model = build_model().fit(X, y)
    return model, float(model.score(X_test, y_test))


if __name__ == "__main__":
    from sklearn.datasets import load_digits

    digits = load_digits()
    X, y = digits.data, digits.target
    model, accuracy = train_and_evaluate(X, y, seed=0)
    print(f"held-out accuracy: {accuracy:.4f}")

    # Look at the mistakes: the same split again, so these images were never trained on.
    _, X_test, _, y_test, _, images = train_test_split(
        X, y, digits.images, test_size=TEST_SIZE, stratify=y, random_state=0)
    y_pred = model.predict(X_test)
    wrong = np.flatnonzero(y_pred != y_test)
    print(f"{len(wrong)} mistakes out of {len(y_test)} held-out digits")
    C = np.zeros((10, 10), dtype=int)
    np.add.at(C, (y_test, y_pred), 1)
    report.plot("confusion", C, kind="matrix", x=[str(d) for d in range(10)],
                title="held-out confusion matrix", xlabel="predicted", ylabel="true")
    for i in wrong[:3]:
        print(f"  test image {i}: true {y_test[i]}, predicted {y_pred[i]}")
        report.plot(f"mistake {i}", images[i], kind="image",
                    title=f"true {y_test[i]}, predicted {y_pred[i]}")
