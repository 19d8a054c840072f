"""Check split_data (sizes, no shared samples, pairs kept, seeded) and tune_tree (held-out bar).

The check makes its own moons (n=10,000, noise=0.4), splits them with the learner's
split_data, tunes with the learner's tune_tree, and scores the returned tree on 20,000 fresh
moons that nothing has seen. The noise makes about 14 % of the points unreachable for any
model, so accuracies sit in the 0.85s; an unconstrained tree memorises the noise (training
accuracy 1.0) and drops to about 0.80.

Reference (solution) accuracy on the 20,000 fresh points, data seeds 0..9 (the check runs
with seed 0):
    0.8595 0.8583 0.8579 0.8546 0.8583 0.8518 0.8551 0.8560 0.8589 0.8613   (min 0.8518)
Unconstrained tree (what the mutants end up with), same seeds: 0.794 .. 0.807.
Threshold: 0.845 (0.007 below the worst reference run, 0.04 above the overfitting trees).
The validation score of the returned tree must also be within 0.005 of the best the grid
reaches (the check fits the grid itself with random_state=42).
"""

import numpy as np
from sklearn.datasets import make_moons
from sklearn.tree import DecisionTreeClassifier

from homl_tui.checks import expect_true, fail, require_function

N, NOISE, N_FRESH = 10_000, 0.4, 20_000
BAR = 0.845
VAL_TOL = 0.005


def _rows(X):
    return {tuple(row) for row in np.asarray(X).tolist()}


def _check_split(split_data, X, y, seed):
    out = split_data(X.copy(), y.copy(), seed)
    if not isinstance(out, (tuple, list)) or len(out) != 6:
        fail("`split_data` should return six arrays: X_train, X_val, X_test, y_train, y_val, "
             "y_test (in that order).")
    X_tr, X_val, X_te, y_tr, y_val, y_te = (np.asarray(a) for a in out)
    for name, Xs, ys in (("train", X_tr, y_tr), ("validation", X_val, y_val),
                         ("test", X_te, y_te)):
        if Xs.ndim != 2 or Xs.shape[1] != X.shape[1] or len(ys) != len(Xs):
            fail(f"The {name} set has X of shape {Xs.shape} and y of length {len(ys)}; "
                 "each set needs whole rows of X and one label per row.")
    r_tr, r_val, r_te = _rows(X_tr), _rows(X_val), _rows(X_te)
    if r_val & r_te:
        fail(f"The validation and test sets share {len(r_val & r_te)} samples: the "
             "validation set was drawn from data that includes the test set. Tuning on it "
             "leaks the test set into your choices, and the test score stops being an "
             "honest estimate. Carve the validation set out of what is left AFTER setting "
             "the test set aside.")
    if r_tr & r_te or r_tr & r_val:
        fail("The training set shares samples with the validation or test set: every "
             "sample must land in exactly one of the three sets.")
    sizes = (len(X_tr), len(X_val), len(X_te))
    want = (int(0.6 * len(X)), int(0.2 * len(X)), int(0.2 * len(X)))
    if any(abs(a - b) > 2 for a, b in zip(sizes, want, strict=True)):
        fail(f"The sets have {sizes[0]}, {sizes[1]} and {sizes[2]} samples out of {len(X)}; "
             "the split should be 60 % / 20 % / 20 % (test_size=0.2, then 0.25 of the rest).")
    label = {tuple(row): lab for row, lab in zip(X.tolist(), y.tolist(), strict=True)}
    for name, Xs, ys in (("train", X_tr, y_tr), ("validation", X_val, y_val),
                         ("test", X_te, y_te)):
        expect_true(all(label[tuple(r)] == lab for r, lab in zip(Xs.tolist(), ys.tolist(),
                                                                   strict=True)),
                    f"In the {name} set, some rows of X come with the label of another row: "
                    "split X and y together, in one call.")
    again = split_data(X.copy(), y.copy(), seed)
    expect_true(np.array_equal(np.asarray(again[2]), X_te),
                "Two calls with the same seed gave different test sets: pass random_state=seed "
                "to every split.")
    other = split_data(X.copy(), y.copy(), seed + 1)
    expect_true(not np.array_equal(np.asarray(other[2]), X_te),
                "Two different seeds gave the same test set: use the seed for the shuffle "
                "(random_state=seed).")
    return X_tr, X_val, X_te, y_tr, y_val, y_te


def _grid_scores(X_tr, y_tr, X_val, y_val, grid):
    rows = []
    for leaves in grid["max_leaf_nodes"]:
        for min_leaf in grid["min_samples_leaf"]:
            tree = DecisionTreeClassifier(max_leaf_nodes=leaves, min_samples_leaf=min_leaf,
                                          random_state=42).fit(X_tr, y_tr)
            rows.append(((leaves, min_leaf), tree.score(X_tr, y_tr), tree.score(X_val, y_val)))
    return rows


def _check_tuning(tune_tree, grid, split, fresh, report):
    X_tr, X_val, X_te, y_tr, y_val, y_te = split
    out = tune_tree(X_tr.copy(), y_tr.copy(), X_val.copy(), y_val.copy(), grid)
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        fail("`tune_tree` should return a pair (best_tree, best_params).")
    tree, params = out
    if not hasattr(tree, "predict") or not hasattr(tree, "get_params"):
        fail(f"The first thing `tune_tree` returns is a {type(tree).__name__}; it should be the "
             "fitted DecisionTreeClassifier.")
    if not isinstance(params, dict) or set(params) != {"max_leaf_nodes", "min_samples_leaf"}:
        fail("best_params should be a dict with exactly the keys 'max_leaf_nodes' and "
             "'min_samples_leaf'.")
    chosen = (params["max_leaf_nodes"], params["min_samples_leaf"])
    built = (tree.get_params().get("max_leaf_nodes"), tree.get_params().get("min_samples_leaf"))

    rows = _grid_scores(X_tr, y_tr, X_val, y_val, grid)
    best_val = max(r[2] for r in rows)
    by_train = max(rows, key=lambda r: (r[1], r[2]))[0]
    train_acc = tree.score(X_tr, y_tr)
    val_acc = tree.score(X_val, y_val)
    fresh_acc = tree.score(*fresh)
    report.boundary("check", tree.predict, X_te[:800], y_te[:800],
                    title=f"your tuned tree on test points ({fresh_acc:.3f} on fresh data)")
    leaves = tree.get_n_leaves() if hasattr(tree, "get_n_leaves") else "many"

    if fresh_acc < BAR or val_acc < best_val - VAL_TOL:
        scores = (f"it scores {train_acc:.3f} on its training set, {val_acc:.3f} on the "
                  f"validation set and {fresh_acc:.3f} on fresh data (the bar is {BAR})")
        if chosen == by_train and chosen != max(rows, key=lambda r: r[2])[0]:
            fail(f"You picked {params}, the candidate with the best TRAINING accuracy: "
                 f"{scores}. Training accuracy always prefers the biggest tree, the one that "
                 "overfits most. Rank the candidates by their score on the validation set.")
        if chosen != built:
            fail(f"The tree you return overfits ({leaves} leaves): {scores}. It was not "
                 f"built with the hyperparameters you picked ({params}): create the final "
                 "tree with them, e.g. DecisionTreeClassifier(random_state=42, **params).")
        if train_acc > 0.95:
            fail(f"The tree you return overfits ({leaves} leaves): {scores}. Keep the "
                 "candidate with the best validation accuracy, and make sure the grid "
                 "limits the tree.")
        fail(f"The tuned tree is not good enough: {scores}. Score every combination of the "
             "grid on the validation set and keep the best one.")
    if chosen not in {r[0] for r in rows}:
        fail(f"best_params {params} is not a combination from the grid.")
    if chosen != built:
        fail(f"The tree you return has max_leaf_nodes={built[0]} and min_samples_leaf="
             f"{built[1]}, not the best_params you report ({params}).")
    root = int(tree.tree_.n_node_samples[0])
    expect_true(root in (len(X_tr), len(X_tr) + len(X_val)),
                f"The returned tree was fitted on {root} samples; fit it on the training set "
                f"({len(X_tr)} samples).")


def check(learner, ctx):
    split_data = require_function(learner, "split_data")
    tune_tree = require_function(learner, "tune_tree")
    grid = ctx.reference.GRID
    X, y = make_moons(n_samples=N, noise=NOISE, random_state=ctx.seed)
    fresh = make_moons(n_samples=N_FRESH, noise=NOISE, random_state=ctx.seed + 1000)
    split = _check_split(split_data, X, y, ctx.seed)
    _check_tuning(tune_tree, grid, split, fresh, ctx.report)
