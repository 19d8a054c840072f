"""Check majority_vote on hand-made votes, grow_forest on small forests, then the full vote.

1. majority_vote gets fake "trees" whose predictions are fixed arrays (binary and 3-class
   votes, labels that are not 0..k-1, rows where averaging the labels picks a class nobody
   voted for). Any label among the most common ones is accepted on a tie.
2. grow_forest with 15 trees of 50 samples: the right number of trees, each fitted on
   subset_size samples, not all alike, the same forest for the same seed and a different one
   for another seed. The check reseeds NumPy's global generator before each call, so trees
   without a random_state stay reproducible.
3. The full vote: 300 trees of 100 samples from the 6,000 training moons (n=10,000, noise
   0.4, the split of the previous exercise), scored on 20,000 fresh moons.

Reference runs, data seeds 0..9 (the check runs with seed 0), accuracy on the fresh moons:
    vote of 300 trees  0.8658 0.8626 0.8636 0.8601 0.8620 0.8617 0.8598 0.8632 0.8617 0.8619
    one small tree     0.791  0.783  0.791  0.784  0.788  0.790  0.787  0.791  0.790  0.788
    tuned single tree  0.8595 0.8583 0.8579 0.8546 0.8583 0.8518 0.8551 0.8560 0.8589 0.8613
(the best possible accuracy on these moons is about 0.864). Thresholds: the vote must reach
0.855 (0.005 below the worst run, and above every run of the tuned single tree's bar of
0.845), and beat the average of its own trees by at least 0.04 (the runs beat it by 0.07).
"""

import numpy as np
from sklearn.datasets import make_moons
from sklearn.model_selection import train_test_split

from homl_tui.checks import expect_true, fail, require_function

BAR = 0.855
GAIN = 0.04


class _Fixed:
    """A stand-in for a fitted tree: predict returns the same labels whatever X is."""

    def __init__(self, labels):
        self.labels = np.asarray(labels)

    def predict(self, X):
        assert len(X) == len(self.labels)
        return self.labels.copy()


def _vote_cases(rng):
    cases = []
    votes = rng.integers(0, 2, size=(7, 40))
    cases.append(("7 trees voting 0 or 1 on 40 samples", votes))
    votes = rng.integers(0, 3, size=(5, 30))
    votes[:, 0] = [0, 0, 2, 2, 2]          # the mean (1.2) rounds to 1, which nobody voted for
    votes[:, 1] = [0, 2, 2, 1, 2]
    cases.append(("5 trees voting 0, 1 or 2 on 30 samples", votes))
    labels = np.array([1, 4, 9])
    cases.append(("9 trees voting 1, 4 or 9 on 25 samples",
                  labels[rng.integers(0, 3, size=(9, 25))]))
    return cases


def _check_vote(majority_vote, rng):
    for where, votes in _vote_cases(rng):
        n_trees, n = votes.shape
        trees = [_Fixed(row) for row in votes]
        X = np.zeros((n, 2))
        got = np.asarray(majority_vote(trees, X))
        if got.shape != (n,):
            if got.shape == (n_trees,):
                fail(f"With {where}, majority_vote returned {n_trees} labels, one per tree: "
                     "the vote went along the wrong axis. Count the votes over the trees, "
                     "for each sample, and return one label per row of X.")
            fail(f"With {where}, majority_vote returned shape {got.shape}; it should return "
                 "one label per row of X.")
        for j in range(n):
            label = got[j].item() if hasattr(got[j], "item") else got[j]
            values, counts = np.unique(votes[:, j], return_counts=True)
            winners = set(values[counts == counts.max()].tolist())
            if label in winners:
                continue
            if label not in set(votes[:, j].tolist()):
                fail(f"With {where}, sample {j} got the label {label!r}, which no tree "
                     "voted for: averaging labels does not give a vote (the mean of 0 and 2 "
                     "is 1). Count how many trees predict each label and take the most "
                     "common one.")
            fail(f"With {where}, sample {j} got the label {label!r}, which is not the most "
                 "common vote among the trees.")


def _root(tree):
    """The root's test and class shares: the same for trees fitted on the same samples."""
    t = getattr(tree, "tree_", None)
    if t is None:
        return None
    return int(t.feature[0]), float(t.threshold[0]), tuple(np.round(t.value[0].ravel(), 9))


def _predictions(trees, grid):
    return np.stack([np.asarray(tree.predict(grid)) for tree in trees])


def _check_growth(grow_forest, X, y, ctx):
    n_trees, size = 15, 50
    ctx.reseed()
    trees = grow_forest(X, y, n_trees=n_trees, subset_size=size, seed=7)
    if not isinstance(trees, (list, tuple)) or len(trees) != n_trees:
        fail(f"grow_forest(..., n_trees={n_trees}) should return a list of {n_trees} fitted "
             "trees.")
    for tree in trees:
        expect_true(hasattr(tree, "predict"),
                    "grow_forest should return fitted DecisionTreeClassifier objects.")
        root = getattr(getattr(tree, "tree_", None), "n_node_samples", None)
        if root is not None and int(root[0]) != size:
            fail(f"A tree was fitted on {int(root[0])} samples; with subset_size={size} each "
                 "tree should see exactly that many.")
    g = np.linspace(-2, 3, 25)
    grid = np.array([[a, b] for a in g for b in np.linspace(-1.5, 2, 20)])
    preds = _predictions(trees, grid)
    distinct = len({row.tobytes() for row in preds})
    roots = {_root(tree) for tree in trees}
    if distinct == 1 or (None not in roots and len(roots) == 1):
        fail(f"All {n_trees} trees were trained on the same subset (they have the same "
             "first split and make nearly the same predictions). Create the random generator ONCE, before the loop, so "
             "that every draw gives a new subset (re-creating it from the seed inside the "
             "loop replays the same draw).")
    ctx.reseed()
    again = _predictions(grow_forest(X, y, n_trees=n_trees, subset_size=size, seed=7), grid)
    if np.mean(again != preds) > 0.02:
        fail("Two calls with the same seed grew different forests: draw the subsets from "
             "np.random.default_rng(seed), created from the seed you are given.")
    ctx.reseed()
    other = _predictions(grow_forest(X, y, n_trees=n_trees, subset_size=size, seed=8), grid)
    if np.mean(other != preds) < 0.02:
        fail("Two different seeds grew the same forest: the subsets ignore the seed. Draw "
             "them from np.random.default_rng(seed).")


def check(learner, ctx):
    grow_forest = require_function(learner, "grow_forest")
    majority_vote = require_function(learner, "majority_vote")
    _check_vote(majority_vote, ctx.rng(9))

    X, y = make_moons(n_samples=10_000, noise=0.4, random_state=ctx.seed)
    X_rest, _, y_rest, _ = train_test_split(X, y, test_size=0.2, random_state=ctx.seed)
    X_train, _, y_train, _ = train_test_split(X_rest, y_rest, test_size=0.25,
                                              random_state=ctx.seed)
    _check_growth(grow_forest, X_train[:2000], y_train[:2000], ctx)

    X_new, y_new = make_moons(n_samples=20_000, noise=0.4, random_state=ctx.seed + 1000)
    ctx.reseed()
    trees = grow_forest(X_train, y_train, n_trees=300, subset_size=100, seed=ctx.seed)
    single = float(np.mean(_predictions(trees, X_new) == y_new[None, :]))
    vote = float(np.mean(np.asarray(majority_vote(trees, X_new)) == y_new))
    ctx.report.boundary("vote", lambda Z: majority_vote(trees, Z), X_new[:800], y_new[:800],
                        title=f"your vote of 300 trees ({vote:.3f} on fresh moons)")
    if vote < single + GAIN:
        fail(f"The vote scores {vote:.3f} on fresh moons, hardly better than its average tree "
             f"({single:.3f}); a vote of trees that make different mistakes should gain at "
             f"least {GAIN}. Are the trees grown on different random subsets?")
    if vote < BAR:
        fail(f"The vote of 300 trees scores {vote:.3f} on fresh moons; it needs at least "
             f"{BAR}, which a tree tuned on all the training data does not reach. Grow "
             "unconstrained trees on subsets of subset_size samples and take the majority.")
