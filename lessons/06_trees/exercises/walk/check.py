"""Check walk and predict_one against scikit-learn's decision_path, predict and predict_proba.

The tree is fitted on the digits (pixel values are whole numbers 0..16, so every threshold
is an exact x.5). Test samples are held-out digits, plus copies in which the feature tested
at some node on the path is set exactly to that node's threshold: there scikit-learn's rule
`x[feature] <= threshold` sends the sample left, and `<` would not. Labels are strings
("digit 0", ...) so that returning a class index instead of a label shows. Exact; no thresholds.
"""

import numpy as np
from sklearn.datasets import load_digits
from sklearn.tree import DecisionTreeClassifier

from homl_tui.checks import expect_close, fail, require_function


def _samples(tree, X, rng):
    t = tree.tree_
    out = [(f"held-out digit #{i}", X[i].copy()) for i in range(12)]
    for i in range(12, 40):
        x = X[i].copy()
        path = tree.decision_path(x[None]).indices
        inner = [n for n in path if t.children_left[n] != -1]
        node = int(rng.choice(inner))
        x[t.feature[node]] = t.threshold[node]
        out.append((f"a digit whose feature {t.feature[node]} equals the threshold of node "
                    f"{node}", x))
    return out


def _check_path(path, want, x, t, where):
    if not isinstance(path, (list, tuple, np.ndarray)):
        fail(f"`walk` returned a {type(path).__name__} for {where}; return a list of node ids.")
    path = [int(n) for n in path]
    want = [int(n) for n in want]
    if path == want:
        return
    if not path or path[0] != 0:
        fail(f"For {where}, the path does not start at the root: the first node is 0.")
    if path == want[:-1]:
        fail(f"For {where}, your path stops before the leaf: it should end with the leaf "
             "node itself (the first node whose children_left is -1).")
    for step, (got_node, want_node) in enumerate(zip(path, want, strict=False)):
        if got_node == want_node:
            continue
        parent = want[step - 1]
        f, thr = t.feature[parent], t.threshold[parent]
        went = "left" if got_node == t.children_left[parent] else (
            "right" if got_node == t.children_right[parent] else None)
        if went is None:
            fail(f"For {where}, after node {parent} the path goes to node {got_node}, which "
                 "is not one of its children: the next node is children_left[node] or "
                 "children_right[node].")
        if x[f] == thr:
            fail(f"For {where}: at node {parent}, x[feature] equals the threshold exactly and "
                 "you sent the sample right. scikit-learn's test is x[feature] <= threshold: "
                 "ties go left.")
        fail(f"For {where}: at node {parent} you sent the sample {went}, but its value of "
             f"feature {f} is {'below' if x[f] < thr else 'above'} the threshold. "
             "children_left is for x[feature] <= threshold, children_right for the rest; "
             "and the feature to read is tree_.feature[node].")
    if len(path) > len(want):
        fail(f"For {where}, the path goes on past the leaf: stop when children_left is -1.")
    fail(f"For {where}, the path stops before reaching a leaf: keep going while "
         "children_left[node] != -1.")


def check(learner, ctx):
    walk = require_function(learner, "walk")
    predict_one = require_function(learner, "predict_one")
    digits = load_digits()
    labels = np.array([f"digit {d}" for d in digits.target])
    rng = ctx.rng(3)
    order = rng.permutation(len(labels))
    train, test = order[:1200], order[1200:]
    tree = DecisionTreeClassifier(max_depth=8, min_samples_leaf=3, random_state=ctx.seed)
    tree.fit(digits.data[train], labels[train])
    t = tree.tree_

    for where, x in _samples(tree, digits.data[test], rng):
        want = tree.decision_path(x[None]).indices
        _check_path(walk(tree, x.copy()), sorted(want), x, t, where)

        out = predict_one(tree, x.copy())
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            fail(f"`predict_one` should return a pair (label, proba); for {where} it returned "
                 f"a {type(out).__name__}.")
        label, proba = out
        want_proba = tree.predict_proba(x[None])[0]
        expect_close(f"proba for {where}", np.asarray(proba, dtype=float).reshape(-1),
                     want_proba, rtol=1e-9, atol=1e-12)
        want_label = tree.predict(x[None])[0]
        if isinstance(label, (int, np.integer)) and not isinstance(want_label, (int, np.integer)):
            fail(f"For {where}, `predict_one` returned the number {label}, the position of the "
                 "class in the shares, not the class label itself. Look the label up in "
                 "tree.classes_.")
        if label != want_label:
            fail(f"For {where}, the label is {label!r}, not the most common class of the leaf: "
                 "take the class with the largest share (np.argmax) from tree.classes_.")
