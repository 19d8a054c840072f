import numpy as np

from homl_tui import report

LAM, LR, EPOCHS = 0.01, 0.1, 1000


# ---- Done for you: your solution to the previous exercise. ----

def svm_objective(w, b, X, y, lam):
    t = 2 * y - 1
    margins = t * (X @ w + b)
    active = margins < 1
    m = X.shape[0]
    J = np.maximum(0.0, 1.0 - margins).mean() + lam / 2 * (w @ w)
    grad_w = -(t[active] @ X[active]) / m + lam * w
    grad_b = -t[active].sum() / m
    return float(J), grad_w, float(grad_b)


# ---- Training and prediction. ----

def train_linear_svm(X, y, lam=LAM, lr=LR, epochs=EPOCHS):
    """Minimise svm_objective by subgradient descent from w = 0, b = 0.

    Return (w, b, losses), with losses[k] the objective J at the start of epoch k.
    """
    w = np.zeros(X.shape[1])
    b = 0.0
    losses = []
    for epoch in range(epochs):
        J, grad_w, grad_b = svm_objective(w, b, X, y, lam)
        w = w - lr * grad_w
        b = b - lr * grad_b
        losses.append(J)
        report.metric(step=epoch, objective=J)
    return w, b, losses


def predict(X, w, b):
    """Class labels in {0, 1}: 1 where w . x + b > 0."""
    # Mistake: returns the targets -1/+1 of the objective, not the labels 0/1 of y.
    return np.where(X @ w + b > 0, 1, -1)
