"""Mutant: adds the penalty matrix without multiplying it by alpha.

Ridge regression in closed form: least squares plus an l2 penalty on the weights (not on
the bias)."""

import numpy as np

from homl_tui import report


def ridge_closed_form(X, y, alpha):
    """theta (bias first) minimising  sum((X_b @ theta - y)**2) + alpha * sum(theta[1:]**2)."""
    X_b = np.column_stack([np.ones(len(X)), X])
    A = np.eye(X_b.shape[1])
    A[0, 0] = 0.0                       # the bias is not penalised
    return np.linalg.solve(X_b.T @ X_b + A, X_b.T @ y)


# ---- Done for you: features for the demo. ----

def scaled_polynomial(x, degree, mean=None, std=None):
    """Powers 1..degree of x, standardised (with the training mean/std when given)."""
    P = np.asarray(x, dtype=float)[:, None] ** np.arange(1, degree + 1)
    mean = P.mean(axis=0) if mean is None else mean
    std = P.std(axis=0) if std is None else std
    return (P - mean) / std, mean, std


if __name__ == "__main__":
    rng = np.random.default_rng(42)
    x = rng.uniform(-3, 3, 60)
    y = 0.5 * x ** 2 + x + 2 + rng.normal(0, 1, 60)
    x_val = rng.uniform(-3, 3, 200)
    y_val = 0.5 * x_val ** 2 + x_val + 2 + rng.normal(0, 1, 200)

    P, mean, std = scaled_polynomial(x[:20], 10)           # only 20 examples: easy to overfit
    P_val, _, _ = scaled_polynomial(x_val, 10, mean, std)
    alphas = [0.0, 0.01, 0.1, 1.0, 10.0, 100.0, 1000.0]
    val_rmse = []
    for alpha in alphas:
        theta = ridge_closed_form(P, y[:20], alpha)
        val_rmse.append(float(np.sqrt(np.mean((theta[0] + P_val @ theta[1:] - y_val) ** 2))))
        print(f"alpha {alpha:7g}: weight norm {np.linalg.norm(theta[1:]):9.3f}   "
              f"bias {theta[0]:6.3f}   validation RMSE {val_rmse[-1]:.3f}")
    report.plot("validation RMSE per alpha", val_rmse, [f"{a:g}" for a in alphas], kind="bar",
                title="degree-10 polynomial, 20 training examples")
    print("Large alphas flatten the curve towards the mean of y; the bias stays free.")
