"""Measuring error: RMSE on the training set and on the test set."""

import numpy as np
from sklearn.base import clone
from sklearn.linear_model import LinearRegression
from sklearn.neighbors import KNeighborsRegressor

from homl_tui import report


def rmse(y_true, y_pred):
    """Root mean squared error between two 1-D arrays of the same length."""
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    return float(np.sqrt(np.mean((y_pred - y_true) ** 2)))


def train_test_rmse(model, X_train, y_train, X_test, y_test):
    model.fit(X_train, y_train)
    train_error = rmse(y_train, model.predict(X_train))
    # Mistake: the "test" error is measured on the training set again.
    test_error = rmse(y_train, model.predict(X_train))
    return train_error, test_error


# ---- Done for you: the table of countries and a shuffled split (earlier exercises). ----

def make_country_table(n=40, seed=42):
    rng = np.random.default_rng(seed)
    gdp = np.exp(rng.uniform(np.log(3.0), np.log(110.0), size=n))
    satisfaction = 2.6 + 0.95 * np.log(gdp) + rng.normal(0.0, 0.3, size=n)
    gdp = np.round(gdp, 1)
    satisfaction = np.round(np.clip(satisfaction, 0.0, 10.0), 2)
    order = np.argsort(gdp)
    return gdp[order], satisfaction[order]


def shuffle_split(X, y, test_ratio, rng):
    n_test = int(len(X) * test_ratio)
    order = rng.permutation(len(X))
    return X[order[n_test:]], X[order[:n_test]], y[order[n_test:]], y[order[:n_test]]


if __name__ == "__main__":
    gdp, sat = make_country_table()
    X_train, X_test, y_train, y_test = shuffle_split(gdp.reshape(-1, 1), sat, 0.25,
                                                     np.random.default_rng(0))
    names, train_errors, test_errors = [], [], []
    for name, model in (("line", LinearRegression()),
                        ("1-NN", KNeighborsRegressor(n_neighbors=1)),
                        ("3-NN", KNeighborsRegressor(n_neighbors=3)),
                        ("10-NN", KNeighborsRegressor(n_neighbors=10))):
        train_error, test_error = train_test_rmse(clone(model), X_train, y_train,
                                                  X_test, y_test)
        print(f"{name:>6}: train RMSE {train_error:.3f}   test RMSE {test_error:.3f}")
        names.append(name)
        train_errors.append(train_error)
        test_errors.append(test_error)
    report.plot("train_rmse", train_errors, names, kind="bar", title="RMSE on the training set")
    report.plot("test_rmse", test_errors, names, kind="bar", title="RMSE on the test set")
