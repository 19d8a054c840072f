"""Mutant: exponentiates the raw scores, which overflows for large scores.

Softmax regression with early stopping, in NumPy only (no scikit-learn in this file)."""

import numpy as np

from homl_tui import report


def softmax(logits):
    """Row-wise softmax of an (m, K) array of scores: every row becomes probabilities."""
    exp = np.exp(logits)
    return exp / exp.sum(axis=1, keepdims=True)


def add_bias(X):
    return np.column_stack([np.ones(len(X)), X])


def cross_entropy(proba, y):
    """Mean of -log(probability given to the true class); y holds class indices."""
    return float(-np.mean(np.log(proba[np.arange(len(y)), y] + 1e-12)))


def train_softmax(X_train, y_train, X_val, y_val, eta=0.1, n_epochs=2000, patience=100):
    """Batch gradient descent on the cross-entropy, from Theta = zeros, with early stopping.

    Theta has shape (n + 1, K): one column of scores per class, bias in row 0. After every
    step, measure the cross-entropy on the validation set; keep a copy of the best Theta so
    far, and stop when it has not improved for `patience` epochs. Returns (best Theta,
    val_losses), one validation loss per epoch run.
    """
    X_b = add_bias(X_train)
    X_val_b = add_bias(X_val)
    m, n_classes = len(X_b), int(max(y_train.max(), y_val.max())) + 1
    Y = np.eye(n_classes)[y_train]                      # one-hot targets, (m, K)
    theta = np.zeros((X_b.shape[1], n_classes))
    best_theta, best_loss, since_best = theta.copy(), np.inf, 0
    val_losses = []
    for epoch in range(n_epochs):
        proba = softmax(X_b @ theta)
        gradient = X_b.T @ (proba - Y) / m
        theta = theta - eta * gradient
        train_loss = cross_entropy(proba, y_train)
        val_losses.append(cross_entropy(softmax(X_val_b @ theta), y_val))
        report.metric(step=epoch, train_loss=train_loss, val_loss=val_losses[-1])
        if val_losses[-1] < best_loss:
            best_theta, best_loss, since_best = theta.copy(), val_losses[-1], 0
        else:
            since_best += 1
            if since_best >= patience:
                break
    return best_theta, val_losses


def predict(X, theta):
    """The class with the highest score for each row of X."""
    return np.argmax(add_bias(X) @ theta, axis=1)


if __name__ == "__main__":
    from sklearn.datasets import load_iris  # allowed here, to load the data only

    iris = load_iris()
    X, y = iris.data[:, 2:], iris.target                   # petal length and width (cm)
    order = np.random.default_rng(42).permutation(len(X))
    train, val, test = order[:90], order[90:120], order[120:]

    theta, val_losses = train_softmax(X[train], y[train], X[val], y[val], eta=0.1,
                                      n_epochs=5000, patience=200)
    best = int(np.argmin(val_losses))
    print(f"{len(val_losses)} epochs; best validation loss {val_losses[best]:.4f} at epoch {best}")
    for name, idx in (("train", train), ("validation", val), ("test", test)):
        print(f"{name:10s} accuracy {np.mean(predict(X[idx], theta) == y[idx]):.3f}")
    report.boundary("decision regions", lambda P: predict(P, theta), X[train], y[train],
                    title="softmax regression on iris petals", xlabel="petal length (cm)",
                    ylabel="petal width (cm)")
    confusion = np.zeros((3, 3), dtype=int)
    np.add.at(confusion, (y[test], predict(X[test], theta)), 1)
    report.plot("test confusion matrix", confusion, kind="matrix",
                x=list(iris.target_names), xlabel="predicted", ylabel="true")
