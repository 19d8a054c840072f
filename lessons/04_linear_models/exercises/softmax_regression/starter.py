"""Softmax regression with early stopping, in NumPy only.

Rules: no scikit-learn in this file, except to load the data inside the
`if __name__ == "__main__":` block at the bottom. The check reads your imports.

    scores  S = X_b @ Theta               X_b: (m, n + 1), Theta: (n + 1, K)
    P       = softmax(S), row by row      P[i, k]: probability that example i is of class k
    loss    = mean over i of -log P[i, y_i]               (the cross-entropy)
    gradient = X_b.T @ (P - Y) / m        Y: the one-hot targets, (m, K)
"""

import numpy as np

from homl_tui import report


def softmax(logits):
    """Row-wise softmax of an (m, K) array of scores: every row becomes probabilities."""
    # TODO 1: subtract each row's maximum (axis=1, keepdims=True), exponentiate, and divide
    #         every row by its sum (axis=1, keepdims=True).
    raise NotImplementedError("softmax: fill in the TODO")


def add_bias(X):
    return np.column_stack([np.ones(len(X)), X])


def cross_entropy(proba, y):
    """Mean of -log(probability given to the true class); y holds class indices."""
    # TODO 2: pick proba[i, y[i]] for every row i (proba[np.arange(len(y)), y]), take the log
    #         (add 1e-12 so that a probability of 0 gives no -inf), average, negate: a float.
    raise NotImplementedError("cross_entropy: fill in the TODO")


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
    val_losses = []
    # TODO 3: for every epoch (at most n_epochs):
    #           - proba = softmax of the training scores; gradient = X_b.T @ (proba - Y) / m
    #           - theta = theta - eta * gradient
    #           - append the cross-entropy of the NEW theta on the validation set
    #           - report.metric(step=epoch, train_loss=..., val_loss=...)
    #           - if the validation loss is the best so far: keep theta.copy() and reset the
    #             patience counter; otherwise count one more epoch without progress and
    #             stop (break) once that count reaches `patience`.
    # TODO 4: return the BEST theta (not the last one) and val_losses.
    raise NotImplementedError("train_softmax: fill in the TODOs")


def predict(X, theta):
    """The class with the highest score for each row of X."""
    # TODO 5: the index of the largest score in each row of add_bias(X) @ theta.
    raise NotImplementedError("predict: fill in the TODO")


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

    # A problem built to overfit: 60 examples, 30 features, only 2 of which matter.
    rng = np.random.default_rng(0)
    W = np.zeros((30, 3))
    W[:2] = rng.normal(0, 1.5, (2, 3))
    X_all = rng.normal(size=(260, 30))
    y_all = (X_all @ W + 0.7 * rng.gumbel(size=(260, 3))).argmax(axis=1)
    theta, val_losses = train_softmax(X_all[:60], y_all[:60], X_all[60:], y_all[60:], eta=0.05,
                                      n_epochs=1500, patience=200)
    best = int(np.argmin(val_losses))
    print(f"overfitting problem: best validation loss {val_losses[best]:.3f} at epoch {best}, "
          f"stopped after {len(val_losses)} epochs at {val_losses[-1]:.3f}")
