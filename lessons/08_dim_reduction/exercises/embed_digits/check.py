"""Check embed_2d(X) on 1,000 digits: an (m, 2) array in the order of X's rows, whose 2-D
positions let a 5-nearest-neighbours classifier recognise HELD-OUT digits.

Data: 1,000 of the 1,797 digits, chosen with the exercise seed (rows kept in their original
order). Score: the mean accuracy of KNeighborsClassifier(5) over 3 stratified 70/30 splits of
the map (fitted on 70% of the points, scored on the other 30%).
Runs (subset seeds 0-4): the reference t-SNE scores 0.979-0.990; PCA to 2-D scores
0.616-0.640, Isomap (10 neighbours) 0.68-0.80, LLE (10 neighbours) 0.79-0.89, LLE (5
neighbours) 0.83-0.89. A map in the wrong row order scores about 0.1 (chance).
The bar is 0.90: t-SNE clears it by 8 points. One t-SNE on 1,000 digits takes 4-8 s on one
core (more when the machine is busy).
"""

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import StratifiedShuffleSplit
from sklearn.neighbors import KNeighborsClassifier
from threadpoolctl import threadpool_limits

from homl_tui.checks import as_array, expect_at_least, expect_finite, fail, require_function

M = 1000
BAR = 0.90


def knn_score(Z, y, seed):
    splits = StratifiedShuffleSplit(n_splits=3, test_size=0.3, random_state=seed)
    scores = [KNeighborsClassifier(n_neighbors=5).fit(Z[a], y[a]).score(Z[b], y[b])
              for a, b in splits.split(Z, y)]
    return float(np.mean(scores))


def digits_subset(seed):
    X, y = load_digits(return_X_y=True)
    rows = np.sort(np.random.default_rng(seed).choice(len(X), size=M, replace=False))
    return X[rows].astype(float), y[rows]


def check(learner, ctx):
    fn = require_function(learner, "embed_2d")
    X, y = digits_subset(ctx.seed)
    X_copy = X.copy()
    ctx.reseed()
    # OpenMP code (t-SNE's gradient) slows down many times over when its threads compete for
    # busy cores, so the learner's call runs on one OpenMP thread: 4-8 s, instead of 30+ s
    # with 2 threads on a loaded 2-core machine.
    with threadpool_limits(limits=1, user_api="openmp"):
        Z = fn(X)
    if Z is None:
        fail("embed_2d returned None: did you forget to `return` the coordinates?")
    if hasattr(Z, "fit") or hasattr(Z, "get_params"):
        fail(f"embed_2d returned a {type(Z).__name__} object, the estimator itself. Return the "
             "coordinates it computed: an (m, 2) array, which fit_transform(X) gives you.")
    if not np.array_equal(X, X_copy):
        fail("embed_2d changed X in place; work on a copy.")
    try:
        Z = as_array(Z).astype(float)
    except (TypeError, ValueError):
        fail(f"embed_2d returned a {type(Z).__name__}, not an array of coordinates.")
    if Z.shape != (M, 2):
        if Z.shape == (2, M):
            fail(f"embed_2d returned shape {Z.shape}: it is transposed. One row per digit, "
                 "two columns (x and y on the map).")
        if Z.ndim == 2 and Z.shape[0] == M:
            fail(f"embed_2d returned {Z.shape[1]} coordinates per digit; a map needs exactly "
                 "2 (n_components=2).")
        fail(f"embed_2d returned shape {Z.shape}; it should be (m, 2) = ({M}, 2), one row per "
             "row of X.")
    expect_finite("embed_2d(X)", Z)
    ctx.report.plot("digits map", Z[:, 1], Z[:, 0], kind="scatter", labels=y,
                    title="your 2-D map of 1,000 digits, coloured by the true digit")
    score = knn_score(Z, y, ctx.seed)
    if score < 0.3:
        fail(f"A 5-NN classifier on your map recognises held-out digits only {score:.0%} of "
             "the time, about chance level (10%). The positions do not line up with the rows "
             "of X: row i of the result must be the position of X[i]. Did you shuffle, sort "
             "or subsample the digits?")
    expect_at_least("The 5-NN accuracy on held-out points of your map", score, BAR,
                    "The digit classes overlap too much on the map. A linear projection "
                    "to 2-D (such as PCA) cannot pull ten classes apart; try a nonlinear "
                    "method built to keep each digit's nearest neighbours close, such as "
                    "t-SNE.")
