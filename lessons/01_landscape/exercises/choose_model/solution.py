"""No free lunch: let a validation set choose between a line and k nearest neighbours."""

import numpy as np
from sklearn.base import clone
from sklearn.linear_model import LinearRegression
from sklearn.neighbors import KNeighborsRegressor

from homl_tui import report

VAL_RATIO = 0.25


# ---- Done for you: two data sets, the error measure and the split (earlier exercises). ----

def make_straight(n, seed):
    """Five features; the target is a linear function of them plus noise (std 1)."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-2.0, 2.0, size=(n, 5))
    y = X @ np.array([1.5, -1.0, 0.8, 2.0, -0.5]) + 0.5 + rng.normal(0.0, 1.0, size=n)
    return X, y


def make_wavy(n, seed):
    """Two features; the target is a wavy function of them plus a little noise (std 0.2)."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-2.0, 2.0, size=(n, 2))
    y = 2.0 * np.sin(2.0 * X[:, 0]) + np.cos(3.0 * X[:, 1]) + rng.normal(0.0, 0.2, size=n)
    return X, y


def rmse(y_true, y_pred):
    return float(np.sqrt(np.mean((np.asarray(y_pred) - np.asarray(y_true)) ** 2)))


def shuffle_split(X, y, test_ratio, rng):
    n_test = int(len(X) * test_ratio)
    order = rng.permutation(len(X))
    return X[order[n_test:]], X[order[:n_test]], y[order[n_test:]], y[order[:n_test]]


def candidate_models():
    return [LinearRegression(), KNeighborsRegressor(n_neighbors=1),
            KNeighborsRegressor(n_neighbors=5), KNeighborsRegressor(n_neighbors=15)]


# ---- Your part. ----

def choose_model(X, y, candidates, rng):
    """Pick the candidate with the lowest RMSE on a validation set, and refit it.

    Hold out VAL_RATIO of (X, y) as a validation set (shuffle_split with rng), fit a fresh
    copy of every candidate on the rest, and score it on the validation set. Return
    (model, scores): a fresh copy of the best candidate fitted on ALL of X, y, and the list
    of validation RMSEs, one per candidate, in order.
    """
    X_fit, X_val, y_fit, y_val = shuffle_split(X, y, VAL_RATIO, rng)
    scores = []
    for candidate in candidates:
        model = clone(candidate).fit(X_fit, y_fit)
        scores.append(rmse(y_val, model.predict(X_val)))
    best = int(np.argmin(scores))
    return clone(candidates[best]).fit(X, y), scores


if __name__ == "__main__":
    names = ["line", "1-NN", "5-NN", "15-NN"]
    for title, make, n in (("straight", make_straight, 150), ("wavy", make_wavy, 300)):
        X, y = make(n, seed=0)
        X_test, y_test = make(2000, seed=500)
        model, scores = choose_model(X, y, candidate_models(), np.random.default_rng(7))
        print(f"{title} data: validation RMSE " + ", ".join(
            f"{name} {score:.3f}" for name, score in zip(names, scores, strict=True)))
        print(f"    chose {names[int(np.argmin(scores))]}; RMSE on 2,000 fresh test points: "
              f"{rmse(y_test, model.predict(X_test)):.3f}")
        report.plot(f"val_{title}", scores, names, kind="bar",
                    title=f"validation RMSE on the {title} data")
