"""Mutant: the powers start at 0, so the features include a column of ones.

Polynomial features and learning curves: how training and validation errors move as the
training set grows."""

import numpy as np

from homl_tui import report


def polynomial_features(x, degree):
    """x of shape (m,) -> an (m, degree) array with the columns x, x**2, ..., x**degree."""
    x = np.asarray(x, dtype=float).reshape(-1)
    return x[:, None] ** np.arange(degree + 1)


# ---- Done for you: the closed-form fit of the first exercise and the predictions. ----

def fit_linear(X, y):
    """Least-squares theta (bias first) for the features X."""
    X_b = np.column_stack([np.ones(len(X)), X])
    theta, *_ = np.linalg.lstsq(X_b, y, rcond=None)
    return theta


def predict(X, theta):
    return theta[0] + X @ theta[1:]


# ---- Your part. ----

def rmse(y_true, y_pred):
    """Root mean squared error."""
    return float(np.sqrt(np.mean((y_true - y_pred) ** 2)))


def learning_curves(X_train, y_train, X_val, y_val, sizes):
    """For every s in sizes, fit on the first s training examples; return two arrays:
    train_rmse[i] (on those s examples) and val_rmse[i] (on the whole validation set).

    Streams both errors with report.metric(step=s, train_rmse=..., val_rmse=...).
    """
    train_rmse, val_rmse = [], []
    for s in sizes:
        theta = fit_linear(X_train[:s], y_train[:s])
        train_rmse.append(rmse(y_train[:s], predict(X_train[:s], theta)))
        val_rmse.append(rmse(y_val, predict(X_val, theta)))
        report.metric(step=int(s), train_rmse=train_rmse[-1], val_rmse=val_rmse[-1])
    return np.array(train_rmse), np.array(val_rmse)


if __name__ == "__main__":
    rng = np.random.default_rng(42)
    m = 100
    x = rng.uniform(-3, 3, m)
    y = 0.5 * x ** 2 + x + 2 + rng.normal(0, 1, m)          # a quadratic with noise 1
    x_train, y_train, x_val, y_val = x[:80], y[:80], x[80:], y[80:]
    sizes = np.arange(16, 81)

    for degree in (1, 2, 10):
        train, val = learning_curves(polynomial_features(x_train, degree), y_train,
                                     polynomial_features(x_val, degree), y_val, sizes)
        print(f"degree {degree:2d}: with 16 examples train {train[0]:.2f} / val {val[0]:.2f};"
              f"  with 80 examples train {train[-1]:.2f} / val {val[-1]:.2f}")
        report.plot(f"degree {degree}: validation RMSE", val, sizes,
                    title=f"degree {degree}: validation RMSE against training-set size")
    print("The noise has standard deviation 1: no model can get an RMSE much below 1.")
    theta = fit_linear(polynomial_features(x, 2), y)
    print(f"degree-2 fit on all data: {theta.round(2)} (true: 2, 1, 0.5)")
    report.plot("data", y, x, kind="scatter", title="the quadratic data")
