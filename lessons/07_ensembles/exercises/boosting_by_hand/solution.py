"""Gradient boosting for regression, by hand: each shallow tree fits what the others got wrong."""

import numpy as np
from sklearn.tree import DecisionTreeRegressor

from homl_tui import report


def fit_boosting(X, y, n_stages, learning_rate, max_depth=2, random_state=0):
    """Gradient boosting with the squared error. Returns (init, trees).

    init: the starting prediction, the mean of y. trees: n_stages DecisionTreeRegressor, tree m
    fitted to the residuals y - F of the model made of init and the m trees before it, where
    F = init + learning_rate * (sum of their predictions).
    One np.random.RandomState(random_state), created once and passed to every tree, makes the
    result identical to GradientBoostingRegressor(..., random_state=random_state).
    """
    rng = np.random.RandomState(random_state)
    init = float(np.mean(y))
    F = np.full(len(y), init)
    trees = []
    for _ in range(n_stages):
        residuals = y - F
        tree = DecisionTreeRegressor(max_depth=max_depth, random_state=rng)
        tree.fit(X, residuals)
        F += learning_rate * tree.predict(X)
        trees.append(tree)
    return init, trees


def predict_boosting(init, trees, learning_rate, X):
    """init plus learning_rate times the sum of the trees' predictions, for every row of X."""
    F = np.full(X.shape[0], init, dtype=float)
    for tree in trees:
        F += learning_rate * tree.predict(X)
    return F


if __name__ == "__main__":
    from sklearn.ensemble import GradientBoostingRegressor

    rng = np.random.default_rng(0)
    X = rng.uniform(-3, 3, size=(200, 1))
    y = np.sin(X[:, 0]) + 0.1 * X[:, 0] ** 2 + 0.3 * rng.normal(size=200)
    init, trees = fit_boosting(X, y, n_stages=100, learning_rate=0.1, max_depth=2)

    sk = GradientBoostingRegressor(n_estimators=100, learning_rate=0.1, max_depth=2,
                                   random_state=0).fit(X, y)
    grid = np.linspace(-3, 3, 200)[:, None]
    gap = np.abs(predict_boosting(init, trees, 0.1, grid) - sk.predict(grid)).max()
    print(f"init = {init:.4f}; largest gap to GradientBoostingRegressor: {gap:.2e}")
    report.plot("data", y, X[:, 0], kind="scatter", title="the training data")
    for m in (1, 10, 100):
        pred = predict_boosting(init, trees[:m], 0.1, grid)
        rmse = np.sqrt(np.mean((predict_boosting(init, trees[:m], 0.1, X) - y) ** 2))
        print(f"{m:>3} trees: training RMSE {rmse:.4f}")
        report.plot(f"after {m} trees", pred, grid[:, 0], kind="line",
                    title=f"the boosted model after {m} tree(s), learning rate 0.1")
