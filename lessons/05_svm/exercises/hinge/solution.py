"""The linear SVM objective: mean hinge loss plus an L2 penalty, and its subgradient.

    J(w, b) = mean_i max(0, 1 - t_i (w . x_i + b)) + lam / 2 * ||w||^2,   t_i = 2 y_i - 1
"""

import numpy as np

from homl_tui import report


def svm_objective(w, b, X, y, lam):
    """Return (J, grad_w, grad_b) for labels y in {0, 1}.

    grad_w and grad_b form a subgradient of J: where a margin is exactly 1 (the kink),
    that example contributes nothing.
    """
    t = 2 * y - 1                         # labels {0, 1} -> targets {-1, +1}
    margins = t * (X @ w + b)             # t_i (w . x_i + b)
    active = margins < 1                  # inside the street or misclassified
    m = X.shape[0]
    J = np.maximum(0.0, 1.0 - margins).mean() + lam / 2 * (w @ w)
    grad_w = -(t[active] @ X[active]) / m + lam * w
    grad_b = -t[active].sum() / m         # the bias is not regularised
    return float(J), grad_w, float(grad_b)


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    X = rng.normal(size=(8, 3))
    y = rng.integers(0, 2, size=8)
    w, b, lam = rng.normal(size=3), 0.3, 0.1
    J, grad_w, grad_b = svm_objective(w, b, X, y, lam)
    print(f"J = {J:.5f}\ngrad_w = {np.round(grad_w, 5)}\ngrad_b = {grad_b:.5f}")

    # Compare with a finite difference: (J(w + eps e_k) - J(w - eps e_k)) / (2 eps).
    eps = 1e-6
    numeric = [(svm_objective(w + eps * e, b, X, y, lam)[0]
                - svm_objective(w - eps * e, b, X, y, lam)[0]) / (2 * eps) for e in np.eye(3)]
    print("finite differences:", np.round(numeric, 5))

    # The hinge loss of one example as a function of its margin t * (w . x + b).
    z = np.linspace(-2, 3, 101)
    report.plot("hinge loss", np.maximum(0, 1 - z), z, title="max(0, 1 - margin)")
