"""The CART cost of a split, and the best threshold on one feature.

Run this file to find the best threshold on each iris feature (and compare with
scikit-learn's depth-1 tree); Check to test split_cost and best_split.
"""

import numpy as np


# ---- Done for you: your gini from the previous exercise. ----

def gini(y, n_classes):
    p = np.bincount(np.asarray(y, dtype=int), minlength=n_classes) / len(y)
    return float(1.0 - np.sum(p ** 2))


# ---- Your part. ----

def split_cost(y_left, y_right, n_classes):
    """CART cost: the Gini impurities of the two children, weighted by their share of samples.

    J = m_left / m * G_left + m_right / m * G_right, with m = m_left + m_right.
    """
    # TODO 1: the weighted sum above (not the plain average of the two impurities).
    raise NotImplementedError("split_cost: fill in the TODO")


def best_split(x, y, n_classes):
    """The threshold t on feature x that minimises split_cost, and that cost: (t, cost).

    x: 1-D array of feature values (at least two distinct ones), y: integer labels.
    Samples with x <= t go left, the others right. t is halfway between two neighbouring
    distinct values of x (the way scikit-learn places its thresholds).
    """
    # TODO 2: the candidate thresholds: the sorted distinct values of x (np.unique),
    #         and the midpoints between each pair of neighbours.
    # TODO 3: for each candidate, split y with the mask x <= t, score it with split_cost,
    #         and keep the lowest. Return (t, cost) as two floats.
    raise NotImplementedError("best_split: fill in the TODOs")


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
