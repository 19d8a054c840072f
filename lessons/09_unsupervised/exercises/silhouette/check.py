"""Check silhouette_samples (vs sklearn.metrics.silhouette_samples) and choose_k.

silhouette_samples: five seeded cases (random points with random labels, well separated
blobs, labels that are not 0..k-1, and one with a cluster of a single point, which must get
0). When the values are wrong, the check computes the usual mistakes (a - b instead of
b - a; the point itself counted in its own cluster's mean; b as the mean distance to ALL the
points outside the cluster instead of the nearest cluster) and names the one that matches.
The learner's file may not import scikit-learn's silhouette functions outside __main__.
choose_k: five blobs (400 points, centres (0,0) (6,0) (3,5) (-3,5) (9,5), std 0.7-1.2,
data seed 3), ks = 2..8, KMeans(n_clusters=k, n_init=2, random_state=3); each score must
match sklearn's silhouette_score of that clustering (1e-6). Over data seeds 0..5 (with
random_state = data seed) the reference's curve peaks at k = 5 every time: 0.677-0.699,
against at most 0.642 for any other k.
Reference check time (lint -v): about 1.5 s; 10.5 s when the 2 cores were heavily loaded.
"""

import ast
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import silhouette_score

from homl_tui.checks import CheckFailed, describe, expect_close, fail, require_function

CENTERS = np.array([[0, 0], [6, 0], [3, 5], [-3, 5], [9, 5]], dtype=float)
STDS = [1.0, 0.8, 1.2, 0.7, 0.9]
DATA_SEED = 3


def _no_sklearn_silhouette(learner):
    path = getattr(learner, "__file__", None)
    if not path:
        return
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    for stmt in tree.body:
        if isinstance(stmt, ast.If) and "__main__" in ast.dump(stmt.test):
            continue
        for node in ast.walk(stmt):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sklearn"):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.Attribute) and isinstance(node.value, (ast.Name,
                                                                             ast.Attribute)):
                names = [node.attr] if "metrics" in ast.dump(node.value) else []
            else:
                continue
            for name in names:
                if name.startswith("silhouette"):
                    fail(f"Your file uses scikit-learn's `{name}` outside the __main__ block. "
                         "Compute the coefficients with NumPy yourself: that is the exercise.")


def _variant(X, labels, *, self_in_a=False, pooled_b=False, flip=False):
    """The silhouette coefficients, right or with one of the usual mistakes."""
    D = np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=2))
    s = np.zeros(len(X))
    for i in range(len(X)):
        same = labels == labels[i]
        size = same.sum()
        if size == 1:
            continue
        a = D[i, same].sum() / (size if self_in_a else size - 1)
        if pooled_b:
            b = D[i, ~same].mean()
        else:
            b = min(D[i, labels == c].mean() for c in np.unique(labels) if c != labels[i])
        s[i] = ((a - b) if flip else (b - a)) / max(a, b)
    return s


def _cases(rng):
    cases = []
    X = rng.normal(size=(40, 2))
    cases.append((X, rng.integers(0, 3, size=40)))
    X, y = make_blobs(n_samples=120, centers=4, n_features=3, random_state=int(rng.integers(99)))
    cases.append((X, y))
    X = rng.normal(size=(80, 5))
    cases.append((X, rng.choice([2, 5, 9], size=80)))                # labels are not 0..k-1
    X, y = make_blobs(n_samples=60, centers=3, random_state=int(rng.integers(99)))
    X = np.vstack([X, [[30.0, 30.0]]])
    cases.append((X, np.r_[y, 3]))                                   # a cluster of one point
    X = rng.normal(size=(150, 4)) * [1, 2, 3, 4]
    cases.append((X, rng.integers(0, 6, size=150)))
    return cases


def _check_samples(fn):
    for number, (X, labels) in enumerate(_cases(np.random.default_rng(21)), start=1):
        k = len(np.unique(labels))
        alone = np.flatnonzero(np.bincount(np.searchsorted(np.unique(labels), labels)) == 1)
        where = (f"silhouette_samples, test input #{number} (X: {describe(X)}, {k} clusters"
                 + (", one of them a single point)" if len(alone) else ")"))
        with np.errstate(all="ignore"):
            got = fn(X.copy(), labels.copy())
        if got is None:
            fail(f"{where}: it returned None; did you forget to `return` the coefficients?")
        got = np.asarray(got, dtype=float)
        want = _variant(X, labels)
        if got.shape != want.shape:
            fail(f"{where}: the result has shape {got.shape}; there should be one coefficient "
                 "per point, shape (n,).")
        if np.allclose(got, want, atol=1e-9):
            continue
        single = labels == labels[-1]
        if (len(alone) and single.sum() == 1 and (not np.isfinite(got[-1]) or got[-1] != 0)
                and np.allclose(np.delete(got, -1), np.delete(want, -1), atol=1e-9)):
            fail(f"{where}: the point that is alone in its cluster does not get 0. Its "
                 "`a` would be a mean over no other point; by convention its coefficient "
                 "is 0.")
        if np.allclose(got, _variant(X, labels, flip=True), atol=1e-9):
            fail(f"{where}: your coefficients have the wrong sign: s = (b - a) / max(a, b), "
                 "so that a point much closer to its own cluster (small a) gets a value "
                 "near +1.")
        if np.allclose(got, _variant(X, labels, self_in_a=True), atol=1e-9):
            fail(f"{where}: your `a` counts the point itself: the mean is over the OTHER "
                 "members of its cluster, so divide the sum by the cluster size minus 1.")
        if np.allclose(got, _variant(X, labels, pooled_b=True), atol=1e-9):
            fail(f"{where}: your `b` is the mean distance to all the points outside the "
                 "cluster. It should be the mean distance to the NEAREST other cluster: one "
                 "mean per other cluster, then the smallest.")
        try:
            expect_close("silhouette_samples(...)", got, want, atol=1e-9)
        except CheckFailed as exc:
            fail(f"{where}: {exc.message}")


def check(learner, ctx):
    _no_sklearn_silhouette(learner)
    _check_samples(require_function(learner, "silhouette_samples"))

    fn = require_function(learner, "choose_k")
    X, _ = make_blobs(n_samples=400, centers=CENTERS, cluster_std=STDS, random_state=DATA_SEED)
    ks = list(range(2, 9))
    where = f"choose_k(X, ks={ks}, seed={DATA_SEED}) on five blobs"
    out = fn(X.copy(), list(ks), DATA_SEED)
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        fail(f"{where}: choose_k should return (best_k, scores); it returned a "
             f"{type(out).__name__}.")
    best, scores = out
    scores = np.asarray(scores, dtype=float)
    if scores.shape != (len(ks),):
        fail(f"{where}: scores has shape {scores.shape}; it should hold one mean silhouette "
             "per k in ks.")
    want = np.array([
        silhouette_score(X, KMeans(n_clusters=k, n_init=2, random_state=DATA_SEED).fit_predict(X))
        for k in ks
    ])
    try:
        expect_close("scores", scores, want, rtol=1e-6, atol=1e-6)
    except CheckFailed as exc:
        fail(f"{where}: {exc.message} Each score is the mean of silhouette_samples for "
             "KMeans(n_clusters=k, n_init=2, random_state=seed) labels.")
    right = ks[int(np.argmax(want))]
    if best != right:
        if best == int(np.argmax(want)):
            fail(f"{where}: best_k is {best!r}, the POSITION of the highest score in the list. "
                 "Return the k itself: ks[position].")
        fail(f"{where}: best_k is {best!r}, which is not the k with the highest mean "
             "silhouette. The silhouette is better when it is higher.")
    print(f"silhouette coefficients match scikit-learn; the curve peaks at k = {best}")
