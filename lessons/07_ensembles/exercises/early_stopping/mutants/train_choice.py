"""Mutant: picks the number of trees with the lowest TRAINING error.

Early stopping for gradient boosting: watch the validation error per stage, keep the best."""

import numpy as np
from sklearn.tree import DecisionTreeRegressor

from homl_tui import report

# ---- Done for you: your solution to the previous exercise. ----


def fit_boosting(X, y, n_stages, learning_rate, max_depth=2, random_state=0):
    rng = np.random.RandomState(random_state)
    init = float(np.mean(y))
    F = np.full(len(y), init)
    trees = []
    for _ in range(n_stages):
        tree = DecisionTreeRegressor(max_depth=max_depth, random_state=rng)
        tree.fit(X, y - F)
        F += learning_rate * tree.predict(X)
        trees.append(tree)
    return init, trees


def predict_boosting(init, trees, learning_rate, X):
    F = np.full(X.shape[0], init, dtype=float)
    for tree in trees:
        F += learning_rate * tree.predict(X)
    return F


def rmse(y_true, y_pred):
    return float(np.sqrt(np.mean((y_true - y_pred) ** 2)))


# ---- Early stopping. ----

def boost_with_early_stopping(X_train, y_train, X_val, y_val, n_stages, learning_rate,
                              max_depth=2, random_state=0):
    """Boost n_stages trees, stream the errors after every stage, keep the best number of trees.

    After adding tree m (m = 1, ..., n_stages) send
        report.metric(step=m, train_rmse=..., val_rmse=...)
    with the RMSE of the model made of init and the first m trees. Return
    (init, best_trees, best_n): best_n is the number of trees with the lowest validation
    RMSE and best_trees the first best_n trees.
    """
    init, trees = fit_boosting(X_train, y_train, n_stages, learning_rate, max_depth,
                               random_state)
    F_train = np.full(len(y_train), init)
    F_val = np.full(len(y_val), init)
    val_errors = []
    train_errors = []
    for m, tree in enumerate(trees, start=1):
        F_train += learning_rate * tree.predict(X_train)
        F_val += learning_rate * tree.predict(X_val)
        val_errors.append(rmse(y_val, F_val))
        train_errors.append(rmse(y_train, F_train))
        report.metric(step=m, train_rmse=train_errors[-1], val_rmse=val_errors[-1])
        report.progress(m, n_stages)
    best_n = int(np.argmin(train_errors)) + 1
    return init, trees[:best_n], best_n


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    X = rng.uniform(-3, 3, size=(400, 2))
    y = np.sin(1.5 * X[:, 0]) + 0.3 * X[:, 1] + 0.5 * rng.normal(size=400)
    X_train, y_train, X_val, y_val = X[:200], y[:200], X[200:], y[200:]

    init, trees, best_n = boost_with_early_stopping(X_train, y_train, X_val, y_val,
                                                    n_stages=150, learning_rate=0.2,
                                                    max_depth=3)
    print(f"best number of trees: {best_n} of 150")
    print(f"validation RMSE with {best_n} trees: "
          f"{rmse(y_val, predict_boosting(init, trees, 0.2, X_val)):.4f}")
    _, all_trees = fit_boosting(X_train, y_train, 150, 0.2, 3)
    print(f"validation RMSE with all 150 trees: "
          f"{rmse(y_val, predict_boosting(init, all_trees, 0.2, X_val)):.4f}")
