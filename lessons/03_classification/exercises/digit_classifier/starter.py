"""A digit classifier that is at least 98% accurate on held-out images.

Press Run to train, score and look at the mistakes; press Check to have your model re-scored
on the held-out digits (it needs 0.98).
"""

import numpy as np
from sklearn.model_selection import train_test_split

from homl_tui import report

TEST_SIZE = 0.25


def build_model():
    """An unfitted model (or pipeline) that takes the raw pixel values, 0 to 16."""
    # TODO 1: return an unfitted scikit-learn model. Good candidates: SVC (RBF kernel)
    #         or KNeighborsClassifier. If your model needs scaled inputs, put the scaler
    #         and the model in one pipeline (make_pipeline), so that predict() still
    #         takes raw pixels and the scaler only learns from the training data.
    #         If the model uses randomness, fix its random_state.
    raise NotImplementedError("build_model: fill in the TODO")


def train_and_evaluate(X, y, seed):
    """Split, train on the training part only, and score on the held-out part.

    The split: train_test_split(X, y, test_size=TEST_SIZE, stratify=y, random_state=seed).
    Returns (fitted_model, held_out_accuracy).
    """
    # TODO 2: split X and y exactly as the docstring says.
    # TODO 3: fit build_model() on the training part ONLY.
    # TODO 4: return the fitted model and its accuracy on the held-out part (a float).
    raise NotImplementedError("train_and_evaluate: fill in the TODOs")


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
