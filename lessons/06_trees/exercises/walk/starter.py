"""Predict with a fitted scikit-learn tree by walking its node arrays by hand.

Run this file to explain one iris prediction node by node; Check to test walk and
predict_one against scikit-learn.

A fitted DecisionTreeClassifier keeps its tree in `tree.tree_`, as parallel arrays indexed
by node id (the root is node 0):
    t.children_left[node], t.children_right[node]   ids of the two children (-1 for a leaf)
    t.feature[node], t.threshold[node]              the test of the node: x[feature] <= threshold
    t.value[node]                                   shape (1, n_classes): class shares in the node
and `tree.classes_` holds the class labels in the order of those shares.
"""

import numpy as np


def walk(tree, x):
    """The ids of the nodes that sample x visits, from the root (0) down to its leaf, in order.

    tree: a fitted DecisionTreeClassifier; x: a 1-D array of features. Return a list of ints.
    """
    t = tree.tree_
    # TODO 1: start at node 0. While the node is not a leaf, go to its left child when
    #         x[feature] <= threshold (scikit-learn's rule, ties included), else to its right
    #         child. Record every node you visit, the root and the leaf included.
    raise NotImplementedError("walk: fill in the TODO")


def predict_one(tree, x):
    """(label, proba) for one sample.

    proba: 1-D float array, the class shares in the sample's leaf (they add up to 1);
    label: the most common class in that leaf, as one of tree.classes_ (not its index).
    """
    # TODO 2: the leaf is the last node of walk(tree, x); its shares are tree.tree_.value[leaf, 0].
    # TODO 3: the label is the class with the largest share, looked up in tree.classes_.
    raise NotImplementedError("predict_one: fill in the TODOs")


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
