"""Mutant: records each node before moving on, so the leaf never enters the path.

Predict with a fitted scikit-learn tree by walking its node arrays by hand."""

import numpy as np


def walk(tree, x):
    """The ids of the nodes that sample x visits, from the root (0) down to its leaf."""
    t = tree.tree_
    node = 0
    path = []
    while t.children_left[node] != -1:          # -1 marks a leaf
        path.append(int(node))
        if x[t.feature[node]] <= t.threshold[node]:
            node = t.children_left[node]
        else:
            node = t.children_right[node]
    return path


def predict_one(tree, x):
    """(label, proba) for one sample: the class shares in its leaf and the most common class."""
    leaf = walk(tree, x)[-1]
    proba = np.asarray(tree.tree_.value[leaf, 0], dtype=float)
    proba = proba / proba.sum()
    return tree.classes_[np.argmax(proba)], proba


if __name__ == "__main__":
    from sklearn.datasets import load_iris
    from sklearn.tree import DecisionTreeClassifier

    from homl_tui import report

    iris = load_iris()
    names = [n.replace(" (cm)", "") for n in iris.feature_names]
    species = iris.target_names[iris.target]          # string labels: 'setosa', ...
    tree = DecisionTreeClassifier(max_depth=3, random_state=42).fit(iris.data, species)

    x = iris.data[77]
    t = tree.tree_
    path = walk(tree, x)
    print("why sample 77 is classified the way it is:")
    for node, child in zip(path[:-1], path[1:], strict=False):
        f, thr = t.feature[node], t.threshold[node]
        side = "<=" if child == t.children_left[node] else "> "
        print(f"  node {node:2d}: {names[f]} = {x[f]:.2f} {side} {thr:.2f}")
    label, proba = predict_one(tree, x)
    print(f"  leaf {path[-1]}: class shares {np.round(proba, 3)} -> {label}")
    print("scikit-learn says:", tree.predict([x])[0], np.round(tree.predict_proba([x])[0], 3))
    report.plot("leaf", proba, list(tree.classes_), kind="bar",
                title="class shares in the leaf of sample 77")
