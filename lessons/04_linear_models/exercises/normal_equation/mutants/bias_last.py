"""Mutant: appends the column of ones after the features, so the bias ends up last.

The normal equation: the closed-form least-squares solution of linear regression."""

import numpy as np

from homl_tui import report


def add_bias(X):
    """X of shape (m, n) -> X_b of shape (m, n + 1): a first column of ones, then X."""
    return np.column_stack([X, np.ones(len(X))])


def normal_equation(X, y):
    """The theta of shape (n + 1,) that minimises the MSE of add_bias(X) @ theta against y.

    theta[0] is the bias (intercept), theta[1:] are the weights of the n features.
    """
    X_b = add_bias(X)
    return np.linalg.solve(X_b.T @ X_b, X_b.T @ y)


def predict(X, theta):
    """Predictions for the rows of X (done for you)."""
    return add_bias(X) @ theta


if __name__ == "__main__":
    rng = np.random.default_rng(42)
    m = 100
    X = rng.uniform(0, 2, size=(m, 1))
    y = 4 + 3 * X[:, 0] + rng.normal(0, 1, size=m)      # true bias 4, true slope 3

    theta = normal_equation(X, y)
    print(f"normal equation: bias {theta[0]:.4f}, slope {theta[1]:.4f}   (true: 4 and 3)")
    theta_lstsq, *_ = np.linalg.lstsq(add_bias(X), y, rcond=None)
    print(f"np.linalg.lstsq: bias {theta_lstsq[0]:.4f}, slope {theta_lstsq[1]:.4f}")
    mse = np.mean((predict(X, theta) - y) ** 2)
    print(f"training MSE {mse:.4f} (the noise variance is 1)")

    report.plot("data", y, X[:, 0], kind="scatter", title="the noisy data")
    grid = np.linspace(0, 2, 50)
    report.plot("fitted line", predict(grid[:, None], theta), grid,
                title="the line found by the normal equation")
