"""Logistic regression for a yes/no question, trained by batch gradient descent in NumPy."""

import numpy as np

from homl_tui import report


def sigmoid(z):
    """1 / (1 + exp(-z)), element-wise: maps any score to a probability in (0, 1)."""
    return 1.0 / (1.0 + np.exp(-z))


def add_bias(X):
    return np.column_stack([np.ones(len(X)), X])


def log_loss(p, y):
    """Mean binary cross-entropy of probabilities p for labels y in {0, 1}."""
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def train_logistic(X, y, eta=0.1, n_epochs=1000):
    """Batch gradient descent on the log loss from theta = zeros (bias first).

    Streams the loss of every epoch with report.metric and returns (theta, losses).
    """
    X_b = add_bias(X)
    theta = np.zeros(X_b.shape[1])
    losses = []
    for epoch in range(n_epochs):
        p = sigmoid(X_b @ theta)
        losses.append(log_loss(p, y))
        report.metric(step=epoch, loss=losses[-1])
        theta = theta - eta * X_b.T @ (p - y) / len(y)
    return theta, losses


def predict_proba(X, theta):
    """The estimated probability that each row of X is in the positive class."""
    return sigmoid(add_bias(X) @ theta)


def predict(X, theta):
    """1 where the probability is at least 0.5, else 0 (as integers)."""
    return (predict_proba(X, theta) >= 0.5).astype(int)


if __name__ == "__main__":
    from sklearn.datasets import load_iris  # only to load the data

    iris = load_iris()
    X = iris.data[:, 3:]                         # petal width (cm)
    y = (iris.target == 2).astype(int)           # 1 for Iris virginica, 0 for the others
    order = np.random.default_rng(42).permutation(len(X))
    train, test = order[:100], order[100:]

    theta, losses = train_logistic(X[train], y[train], eta=0.5, n_epochs=3000)
    print(f"theta = {theta.round(3)}; final training log loss {losses[-1]:.4f}")
    print(f"decision boundary: petal width = {-theta[0] / theta[1]:.2f} cm "
          "(where the probability crosses 0.5)")
    print(f"test accuracy {np.mean(predict(X[test], theta) == y[test]):.3f}")
    widths = np.linspace(0, 3, 61)
    report.plot("P(virginica)", predict_proba(widths[:, None], theta), widths,
                title="estimated probability of Iris virginica against petal width")
    report.plot("data", y, X[:, 0], kind="scatter", labels=y,
                title="virginica (1) or not (0) against petal width")
