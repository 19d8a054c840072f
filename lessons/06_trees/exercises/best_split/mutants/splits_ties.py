"""Mutant: scores a split between every pair of sorted positions, even between equal x values.

The CART cost of a split, and the best threshold on one feature."""

import numpy as np

# ---- Done for you: your gini from the previous exercise. ----

def gini(y, n_classes):
    p = np.bincount(np.asarray(y, dtype=int), minlength=n_classes) / len(y)
    return float(1.0 - np.sum(p ** 2))


# ---- Your part. ----

def split_cost(y_left, y_right, n_classes):
    """CART cost: the Gini impurities of the two children, weighted by their share of samples."""
    m_left, m_right = len(y_left), len(y_right)
    m = m_left + m_right
    return (m_left / m) * gini(y_left, n_classes) + (m_right / m) * gini(y_right, n_classes)


def best_split(x, y, n_classes):
    """The threshold t on feature x that minimises split_cost, and that cost.

    Samples with x <= t go left. t is halfway between two neighbouring distinct values of x.
    """
    x, y = np.asarray(x), np.asarray(y)
    order = np.argsort(x)
    xs, ys = x[order], y[order]
    best_t, best_cost = None, np.inf
    for i in range(1, len(xs)):
        t = (xs[i - 1] + xs[i]) / 2
        cost = split_cost(ys[:i], ys[i:], n_classes)
        if cost < best_cost:
            best_t, best_cost = float(t), cost
    return best_t, best_cost


if __name__ == "__main__":
    from sklearn.datasets import load_iris
    from sklearn.tree import DecisionTreeClassifier

    from homl_tui import report

    iris = load_iris()
    y = iris.target
    for j, name in enumerate(iris.feature_names):
        x = iris.data[:, j]
        t, cost = best_split(x, y, 3)
        print(f"{name:18s} best threshold {t:5.2f}   weighted Gini {cost:.4f}")

    # scikit-learn's depth-1 tree on one feature should find the same threshold.
    x = iris.data[:, [2]]
    stump = DecisionTreeClassifier(max_depth=1).fit(x, y)
    print("scikit-learn's stump on petal length splits at", round(stump.tree_.threshold[0], 4))

    # The cost of every candidate threshold on petal length.
    values = np.unique(x[:, 0])
    ts = (values[:-1] + values[1:]) / 2
    costs = [split_cost(y[x[:, 0] <= t], y[x[:, 0] > t], 3) for t in ts]
    report.plot("costs", costs, ts, title="weighted Gini of each threshold on petal length")
