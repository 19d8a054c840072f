"""Mutant: ranks the candidates by their accuracy on the training set.

Regularise a tree on noisy moons: a train / validation / test split and a small grid search."""

from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

GRID = {
    "max_leaf_nodes": [4, 8, 16, 32, 64, None],   # None: no limit on the number of leaves
    "min_samples_leaf": [1, 5, 20, 50],
}


def split_data(X, y, seed):
    """Shuffle and split 60 / 20 / 20 into train, validation and test sets.

    Returns X_train, X_val, X_test, y_train, y_val, y_test.
    """
    X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=0.2, random_state=seed)
    X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, test_size=0.25,
                                                      random_state=seed)
    return X_train, X_val, X_test, y_train, y_val, y_test


def tune_tree(X_train, y_train, X_val, y_val, grid=GRID):
    """Fit one tree per combination of the grid on the training set, keep the best on validation.

    Returns (best_tree, best_params): the fitted tree and a dict of its two hyperparameters.
    """
    best_tree, best_params, best_score = None, None, -1.0
    for leaves in grid["max_leaf_nodes"]:
        for min_leaf in grid["min_samples_leaf"]:
            params = {"max_leaf_nodes": leaves, "min_samples_leaf": min_leaf}
            tree = DecisionTreeClassifier(random_state=42, **params).fit(X_train, y_train)
            score = tree.score(X_train, y_train)
            if score > best_score:
                best_tree, best_params, best_score = tree, params, score
    return best_tree, best_params


if __name__ == "__main__":
    from sklearn.datasets import make_moons

    from homl_tui import report

    X, y = make_moons(n_samples=10_000, noise=0.4, random_state=42)
    X_train, X_val, X_test, y_train, y_val, y_test = split_data(X, y, seed=42)
    print("sizes: train", len(X_train), " validation", len(X_val), " test", len(X_test))

    free = DecisionTreeClassifier(random_state=42).fit(X_train, y_train)
    print(f"no limits:  {free.get_n_leaves():4d} leaves  train {free.score(X_train, y_train):.3f}"
          f"  validation {free.score(X_val, y_val):.3f}")

    tree, params = tune_tree(X_train, y_train, X_val, y_val)
    print(f"tuned {params}: {tree.get_n_leaves()} leaves  train "
          f"{tree.score(X_train, y_train):.3f}  validation {tree.score(X_val, y_val):.3f}")
    print(f"test accuracy of the tuned tree (looked at once, at the end): "
          f"{tree.score(X_test, y_test):.3f}")
    report.boundary("free", free.predict, X_test[:800], y_test[:800],
                    title="no limits: every noisy point gets its own island")
    report.boundary("tuned", tree.predict, X_test[:800], y_test[:800],
                    title=f"tuned: {params}")
