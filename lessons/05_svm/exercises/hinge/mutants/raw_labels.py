import numpy as np


def svm_objective(w, b, X, y, lam):
    # Mistake: the labels {0, 1} are used as if they were the targets {-1, +1}.
    t = y
    margins = t * (X @ w + b)
    active = margins < 1
    m = X.shape[0]
    J = np.maximum(0.0, 1.0 - margins).mean() + lam / 2 * (w @ w)
    grad_w = -(t[active] @ X[active]) / m + lam * w
    grad_b = -t[active].sum() / m
    return float(J), grad_w, float(grad_b)
