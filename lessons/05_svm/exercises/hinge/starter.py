"""The linear SVM objective: mean hinge loss plus an L2 penalty, and its subgradient.

    J(w, b) = mean_i max(0, 1 - t_i (w . x_i + b)) + lam / 2 * ||w||^2,   t_i = 2 y_i - 1

Run this file to compare your gradient with finite differences; Check to test it.
"""

import numpy as np

from homl_tui import report


def svm_objective(w, b, X, y, lam):
    """Return (J, grad_w, grad_b) for labels y in {0, 1}.

    X: (m, n) features, w: (n,) weights, b: a float, lam: the regularisation strength.
    grad_w and grad_b form a subgradient of J: where a margin is exactly 1 (the kink),
    let that example contribute nothing.
    """
    # TODO 1: turn the labels {0, 1} into targets t in {-1, +1}.
    # TODO 2: the margins t_i (w . x_i + b), and which examples are "active" (margin < 1).
    # TODO 3: J = mean of max(0, 1 - margin) + lam / 2 * ||w||^2  (no penalty on b).
    # TODO 4: the gradients: each active example adds -t_i x_i / m to grad_w and -t_i / m to
    #         grad_b; the penalty adds lam * w to grad_w.
    raise NotImplementedError("svm_objective: fill in the TODOs")


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
