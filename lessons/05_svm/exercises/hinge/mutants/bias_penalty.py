import numpy as np


def svm_objective(w, b, X, y, lam):
    t = 2 * y - 1
    margins = t * (X @ w + b)
    active = margins < 1
    m = X.shape[0]
    # Mistake: the bias is regularised too.
    J = np.maximum(0.0, 1.0 - margins).mean() + lam / 2 * (w @ w + b * b)
    grad_w = -(t[active] @ X[active]) / m + lam * w
    grad_b = -t[active].sum() / m + lam * b
    return float(J), grad_w, float(grad_b)
