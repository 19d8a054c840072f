"""Check kmeans_plus_plus by its behaviour, not by the exact random numbers it draws.

1. Seeded blobs (300 points, 4 features, k=6): shape (k, d), every centroid is a row of X,
   no row twice, the same rng seed gives the same centroids (so all randomness comes from
   `rng`), and 6 different seeds do not all give the same start.
2. The frequencies test. On a tiny data set of 4 points (chosen so that the usual mistakes
   are far from k-means++: total variation distance 0.215 for probabilities proportional to
   D instead of D**2, 0.533 for the distance to the last centroid only), the check draws
   N = 4000 starts with k = 3 (rng seeds 1000..4999) and compares the frequencies of the 24
   ordered triples with the exact k-means++ probabilities. Total variation distance of the
   reference over 5 blocks of 4000 seeds (1000.., 5000.., ...): 0.0225, 0.0203, 0.0211,
   0.0262, 0.0156 (the check uses the first block); the bar is 0.08. When it fails, the message names the mistake whose exact
   distribution is nearest to the frequencies (or says that nothing after the first pick is
   random: the farthest-point rule).
Reference check time (homl-tui lint -v, process start included): about 1.5 s.
"""

import numpy as np
from sklearn.datasets import make_blobs

from homl_tui.checks import describe, fail, require_function

TINY = np.array([[0.0, 5.0], [6.0, 3.0], [4.0, 2.0], [6.0, 2.0]])
N_DRAWS = 4000
BAR = 0.08


def _exact(X, mode):
    """Probabilities of the ordered index triples for k = 3 under a sampling rule."""
    n = len(X)
    D2 = ((X[:, None] - X[None]) ** 2).sum(axis=2)
    weight = np.sqrt if mode == "distance" else (lambda v: v)
    probs = {}
    for a in range(n):
        wa = weight(D2[a])
        for b in range(n):
            pb = wa[b] / wa.sum()
            if pb == 0:
                continue
            w2 = weight(D2[b] if mode == "last" else np.minimum(D2[a], D2[b]))
            for c in range(n):
                pc = w2[c] / w2.sum()
                if pc > 0:
                    probs[(a, b, c)] = probs.get((a, b, c), 0.0) + pb * pc / n
    return probs


def _tv(p, q):
    return 0.5 * sum(abs(p.get(key, 0.0) - q.get(key, 0.0)) for key in set(p) | set(q))


def _indices(C, X, where):
    C = np.asarray(C, dtype=float)
    if C.ndim != 2 or C.shape[1] != X.shape[1]:
        fail(f"{where}: the result has shape {C.shape}; it should be (k, d), one row per "
             "centroid.")
    match = np.all(np.abs(C[:, None, :] - X[None, :, :]) < 1e-12, axis=2)
    if not match.any(axis=1).all():
        fail(f"{where}: some centroids are not rows of X. k-means++ picks existing data points "
             "as the starting centroids.")
    return tuple(int(np.argmax(row)) for row in match)


def _check_basics(fn):
    X, _ = make_blobs(n_samples=300, centers=6, n_features=4, random_state=5)
    where = f"kmeans_plus_plus(X, 6, rng) on X: {describe(X)}"
    first = fn(X.copy(), 6, np.random.default_rng(7))
    if first is None:
        fail(f"{where}: it returned None; did you forget to `return` the centroids?")
    if np.shape(first) != (6, 4):
        fail(f"{where}: the result has shape {np.shape(first)}; it should be (k, d) = (6, 4).")
    picked = _indices(first, X, where)
    if len(set(picked)) != len(picked):
        fail(f"{where}: the same row was chosen twice. A row already chosen is at distance 0 "
             "from a centroid, so its probability must be 0: use the distance to the nearest "
             "chosen centroid.")
    again = fn(X.copy(), 6, np.random.default_rng(7))
    if not np.array_equal(np.asarray(first), np.asarray(again)):
        fail(f"{where}: two calls with generators seeded the same way gave different centroids. "
             "Draw every random number from `rng` (rng.integers, rng.choice), not from "
             "np.random or the random module.")
    starts = {_indices(fn(X.copy(), 6, np.random.default_rng(s)), X, where) for s in range(6)}
    if len(starts) == 1:
        fail(f"{where}: six different seeds gave the same start. The first centroid must be "
             "drawn at random with `rng`.")


def check(learner, ctx):
    fn = require_function(learner, "kmeans_plus_plus")
    _check_basics(fn)

    counts = {}
    where = "On a tiny data set of 4 points with k = 3"
    for draw in range(N_DRAWS):
        key = _indices(fn(TINY.copy(), 3, np.random.default_rng(1000 + draw)), TINY, where)
        counts[key] = counts.get(key, 0) + 1
    freqs = {key: value / N_DRAWS for key, value in counts.items()}
    firsts = np.bincount([key[0] for key in counts for _ in range(counts[key])], minlength=4)
    if firsts.max() > 0.9 * N_DRAWS:
        fail(f"{where}: the first centroid is almost always the same point. Draw it uniformly "
             "at random among the rows (rng.integers(len(X))).")
    if len({key[:2] for key in counts}) <= 4:
        fail(f"{where}: once the first centroid is fixed, the next ones are always the same: "
             "you take the FARTHEST point instead of drawing one at random. k-means++ draws "
             "each next centroid at random, with probability proportional to D(x)**2, so "
             "that an outlier does not always win.")
    gap = _tv(freqs, _exact(TINY, "squared"))
    if gap <= BAR:
        print(f"{N_DRAWS} starts drawn: frequencies within {gap:.3f} of the k-means++ "
              "probabilities (total variation)")
        return
    near_distance = _tv(freqs, _exact(TINY, "distance"))
    near_last = _tv(freqs, _exact(TINY, "last"))
    if near_distance < gap and near_distance <= near_last:
        fail(f"{where}, over {N_DRAWS} seeded starts, your centroids are drawn with "
             "probabilities proportional to the distance D(x) itself. k-means++ uses the "
             "SQUARED distance D(x)**2, which pushes the picks further apart.")
    if near_last < gap:
        fail(f"{where}, over {N_DRAWS} seeded starts, your probabilities look like the distance "
             "to the LAST chosen centroid only. D(x) is the distance to the NEAREST of all the "
             "centroids chosen so far: keep a running minimum (np.minimum).")
    fail(f"{where}, over {N_DRAWS} seeded starts, the frequencies of your picks are far from "
         "the k-means++ probabilities. First pick: uniform. Each next pick: probability "
         "D(x)**2 / sum of D**2, with D the distance to the nearest chosen centroid.")
