import numpy as np


def svm_objective(w, b, X, y, lam):
    t = 2 * y - 1
    margins = t * (X @ w + b)
    # Mistake: max(0, -margin), the perceptron's loss: no street, only the right side.
    active = margins < 0
    m = X.shape[0]
    J = np.maximum(0.0, -margins).mean() + lam / 2 * (w @ w)
    grad_w = -(t[active] @ X[active]) / m + lam * w
    grad_b = -t[active].sum() / m
    return float(J), grad_w, float(grad_b)
