"""Check assign, update and kmeans (Lloyd's algorithm, NumPy only).

assign: seeded random points and centroids; the labels must be exactly the nearest centroid
(the farthest one is recognised and named). update: seeded cases, the last one with a cluster
that receives no point (it must keep its old centroid, not become NaN); a result where every
coordinate of a centroid equals one number is recognised as a mean over the wrong axis.
kmeans: five seeded blob data sets (2-5 features, 2-6 clusters, 120-400 points), compared
with sklearn KMeans(init=same centroids, n_init=1, algorithm="lloyd", tol=0): same labels,
same centroids and inertia (1e-6), and a number of updates within 1 of the reference's
(sklearn counts one more than the reference). A loop that stops too early leaves centroids
that are not the means of their clusters; one that never stops uses all max_iter updates.
No sklearn clustering in the learner's functions (AST check outside the __main__ block).
Reference check time (homl-tui lint -v, process start included): about 1.5 s.
"""

import ast
import warnings
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs

from homl_tui.checks import CheckFailed, describe, expect_close, fail, require_function

FORBIDDEN = {"KMeans", "MiniBatchKMeans", "k_means", "BisectingKMeans", "kmeans_plusplus"}


def _no_sklearn_kmeans(learner):
    path = getattr(learner, "__file__", None)
    if not path:
        return
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    for stmt in tree.body:
        if isinstance(stmt, ast.If) and "__main__" in ast.dump(stmt.test):
            continue
        for node in ast.walk(stmt):
            name = (node.id if isinstance(node, ast.Name) else
                    node.attr if isinstance(node, ast.Attribute) else
                    node.name if isinstance(node, ast.alias) else None)
            if name and name.split(".")[-1] in FORBIDDEN:
                fail(f"Your file uses scikit-learn's `{name}` outside the __main__ block. "
                     "Write the algorithm with NumPy only: that is the exercise.")


def _check_assign(fn, ref):
    rng = np.random.default_rng(11)
    for number, (n, k, d) in enumerate([(7, 3, 2), (50, 4, 3), (200, 6, 5), (30, 1, 2)], 1):
        X = rng.normal(size=(n, d))
        C = rng.normal(size=(k, d)) * 1.5
        got = fn(X.copy(), C.copy())
        where = f"assign, test input #{number} (X: {describe(X)}, centroids: {describe(C)})"
        if got is None:
            fail(f"{where}: it returned None; did you forget to `return` the labels?")
        got = np.asarray(got)
        want = ref.assign(X, C)
        if got.shape != want.shape:
            fail(f"{where}: the labels have shape {got.shape}; there should be one label per "
                 "point, a 1-D array of length n. Did you reduce over the right axis?")
        if np.array_equal(got, want):
            continue
        d2 = ((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=2)
        if np.array_equal(got, np.argmax(d2, axis=1)):
            fail(f"{where}: every point went to its FARTHEST centroid. A point belongs to the "
                 "centroid it is closest to: take the smallest distance, not the largest.")
        wrong = int(np.sum(got != want))
        fail(f"{where}: {wrong} of {n} points are not assigned to their nearest centroid. "
             "Compute an (n, k) table of distances and pick, in each row, the column of the "
             "smallest one.")


def _check_update(fn, ref):
    rng = np.random.default_rng(12)
    cases = []
    for n, k, d in [(10, 2, 2), (80, 4, 3), (150, 5, 4)]:
        X = rng.normal(size=(n, d)) * 3
        labels = np.r_[np.arange(k), rng.integers(0, k, size=n - k)]
        cases.append((X, labels, rng.normal(size=(k, d)), False))
    X = rng.normal(size=(40, 3))
    labels = rng.choice([0, 1, 3], size=40)  # cluster 2 of 4 gets no point
    labels[:3] = [0, 1, 3]
    cases.append((X, labels, rng.normal(size=(4, 3)) + 5.0, True))
    for number, (X, labels, C, has_empty) in enumerate(cases, 1):
        where = (f"update, test input #{number} (X: {describe(X)}, {len(C)} centroids"
                 + (", one cluster with no point)" if has_empty else ")"))
        C_before = C.copy()
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            got = fn(X.copy(), labels.copy(), C)
        if got is None:
            fail(f"{where}: it returned None; did you forget to `return` the new centroids?")
        if not np.array_equal(C, C_before):
            fail(f"{where}: your update changed the `centroids` argument in place. Work on a "
                 "copy (np.array(centroids, dtype=float)) and return it.")
        got = np.asarray(got, dtype=float)
        want = ref.update(X, labels, C)
        if got.shape != want.shape:
            fail(f"{where}: the new centroids have shape {got.shape}; they should have the "
                 "shape of the old ones, (k, d): one row per cluster, one column per feature.")
        if has_empty and not np.all(np.isfinite(got[2])):
            fail(f"{where}: the centroid of the cluster with no point is NaN: the mean of an "
                 "empty set of points is not a number. Check whether a cluster has points "
                 "before averaging, and let an empty one keep its old centroid.")
        if has_empty and not np.allclose(got[2], C[2]):
            fail(f"{where}: the centroid of the cluster with no point moved. An empty cluster "
                 "should keep its old centroid.")
        flat = np.all(np.abs(got - got[:, :1]) < 1e-12, axis=1)
        nonempty = np.bincount(labels, minlength=len(C)) > 0
        if np.any(flat & nonempty) and not np.allclose(got, want):
            fail(f"{where}: all the coordinates of a centroid are the same number: you averaged "
                 "over every value of the cluster at once instead of one mean per feature. "
                 "Average the points of the cluster along axis 0 (down the rows).")
        try:
            expect_close("update(...)", got, want, rtol=1e-9, atol=1e-9)
        except CheckFailed as exc:
            fail(f"{where}: {exc.message} Each new centroid is the mean of the points "
                 "labelled with its index.")


def _blobs(seed):
    rng = np.random.default_rng(100 + seed)
    k = int(rng.integers(2, 7))
    d = int(rng.integers(2, 6))
    X, _ = make_blobs(n_samples=int(rng.integers(120, 400)), centers=k + 1, n_features=d,
                      cluster_std=1.6, random_state=seed)
    init = X[rng.choice(len(X), size=k, replace=False)]
    return X, init


def _check_kmeans(fn, ref):
    max_iter = 60
    for number in range(1, 6):
        X, init = _blobs(number)
        where = f"kmeans, blob data set #{number} (X: {describe(X)}, k={len(init)})"
        init_before = init.copy()
        out = fn(X.copy(), init, max_iter)
        if not isinstance(out, (tuple, list)) or len(out) != 4:
            fail(f"{where}: kmeans should return (centroids, labels, inertia, n_iter); it "
                 f"returned a {type(out).__name__}.")
        if not np.array_equal(init, init_before):
            fail(f"{where}: kmeans changed `init` in place. Start from a copy.")
        C, labels, inertia, n_iter = out
        C = np.asarray(C, dtype=float)
        labels = np.asarray(labels)
        sk = KMeans(n_clusters=len(init), init=init, n_init=1, algorithm="lloyd", tol=0,
                    max_iter=300).fit(X)
        _, _, _, ref_iter = ref.kmeans(X, init, max_iter)
        if C.shape != init.shape or labels.shape != (len(X),):
            fail(f"{where}: centroids have shape {C.shape} and labels {labels.shape}; they "
                 "should be (k, d) and (n,).")
        try:
            n_iter = int(n_iter)
        except (TypeError, ValueError):
            fail(f"{where}: n_iter should be an int, the number of updates made.")
        if n_iter >= max_iter > ref_iter + 1:
            fail(f"{where}: your loop ran all {max_iter} updates although the assignments "
                 "stopped changing long before. Compare the new labels with the previous "
                 "ones (np.array_equal) and break out of the loop when they are the same.")
        if not np.all(np.isfinite(C)):
            fail(f"{where}: the final centroids contain NaN or infinite values.")
        if (not np.allclose(ref.update(X, labels, C), C, rtol=1e-6, atol=1e-6)
                or not np.array_equal(labels, ref.assign(X, C))):
            fail(f"{where}: your kmeans stopped while the clusters were still moving: its "
                 "centroids are not the means of their clusters, or the points are not all "
                 "with their nearest centroid. Keep looping until an update changes no "
                 "label; check how you compare the old and new labels (a.all() == b.all() "
                 "compares two booleans, not the arrays).")
        if not np.array_equal(labels, sk.labels_):
            wrong = int(np.sum(labels != sk.labels_))
            fail(f"{where}: {wrong} of {len(X)} labels differ from scikit-learn's KMeans started "
                 "from the same centroids. Start from `init` exactly and alternate assign and "
                 "update.")
        try:
            expect_close("centroids", C, sk.cluster_centers_, rtol=1e-6, atol=1e-6)
        except CheckFailed as exc:
            fail(f"{where}: {exc.message}")
        try:
            expect_close("inertia", inertia, sk.inertia_, rtol=1e-6, atol=1e-6)
        except CheckFailed as exc:
            fail(f"{where}: {exc.message} The inertia is the SUM (not the mean) of the SQUARED "
                 "distances from each point to its own centroid.")
        if abs(n_iter - ref_iter) > 1:
            fail(f"{where}: n_iter is {n_iter}, which does not look like the number of updates "
                 "your loop made before the assignments stopped changing.")


def check(learner, ctx):
    _no_sklearn_kmeans(learner)
    ref = ctx.reference
    _check_assign(require_function(learner, "assign"), ref)
    _check_update(require_function(learner, "update"), ref)
    _check_kmeans(require_function(learner, "kmeans"), ref)
    print("assign, update and kmeans agree with scikit-learn's Lloyd k-means on 5 data sets")
