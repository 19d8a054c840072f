import numpy as np


def svm_objective(w, b, X, y, lam):
    t = 2 * y - 1
    margins = t * (X @ w + b)
    m = X.shape[0]
    J = np.maximum(0.0, 1.0 - margins).mean() + lam / 2 * (w @ w)
    # Mistake: every example contributes to the gradient, not only the active ones.
    grad_w = -(t @ X) / m + lam * w
    grad_b = -t.sum() / m
    return float(J), grad_w, float(grad_b)
