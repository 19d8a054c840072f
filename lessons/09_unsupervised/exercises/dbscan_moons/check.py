"""Check cluster_moons (EPS, MIN_SAMPLES) on fresh moons, and assign_new on new points.

1. Three data sets the learner has not seen: make_data(500, 25, seed) for seeds 101, 102,
   103 (two moons, noise 0.08, plus 25 outliers at least 0.3 from the moons). On each: exactly
   2 clusters, adjusted Rand index >= 0.95 on the moon points, at most 5% of the moon points
   marked as noise, at least 80% of the outliers marked as noise. Failures say which way
   eps is off (mostly noise or many small clusters: too small; one cluster: too large), or
   that min_samples is so small that a few outliers form a cluster of their own.
   Scan of these seeds: min_samples 4-10 pass for eps 0.13-0.18 (and 0.2 with
   min_samples >= 5); eps <= 0.12 splits a moon, eps >= 0.22 merges the moons in one of
   the three. The reference (eps 0.15, min_samples 5) gets ARI 0.992, 0.992, 0.996.
2. assign_new on make_data(300, 15, 201) must give exactly the labels of the rule in the
   docstring (nearest core sample, -1 beyond eps), computed by the check from the learner's
   own DBSCAN; then every new point must get the same label when passed alone, so running
   DBSCAN again on the new points is caught.
Reference check time (homl-tui lint -v, process start included): about 1.5 s.
"""

import numpy as np
from sklearn.metrics import adjusted_rand_score

from homl_tui.checks import describe, fail, require_function

SEEDS = (101, 102, 103)
ARI_BAR = 0.95
NOISE_MAX = 0.05
OUTLIERS_MIN = 0.8


def _expected_new(db, X_train, X_new):
    core = np.asarray(db.core_sample_indices_)
    if len(core) == 0:
        return -np.ones(len(X_new), dtype=int)
    d = np.sqrt(((X_new[:, None, :] - X_train[core][None, :, :]) ** 2).sum(axis=2))
    nearest = np.argmin(d, axis=1)
    labels = np.asarray(db.labels_)[core][nearest].copy()
    labels[d[np.arange(len(X_new)), nearest] > db.eps] = -1
    return labels


def check(learner, ctx):
    cluster = require_function(learner, "cluster_moons")
    assign = require_function(learner, "assign_new")
    make_data = ctx.reference.make_data

    fitted = None
    for seed in SEEDS:
        X, y = make_data(500, 25, seed)
        where = f"On fresh moons (data seed {seed}, {len(X)} points)"
        db = cluster(X.copy())
        labels = np.asarray(getattr(db, "labels_", None) if db is not None else None)
        if db is None or labels.shape != (len(X),):
            fail(f"{where}: cluster_moons should return the DBSCAN fitted on X (with labels_, "
                 "one per point).")
        moons = y >= 0
        found = sorted(set(labels.tolist()) - {-1})
        noise = float(np.mean(labels[moons] == -1))
        stray = [c for c in found if np.mean(moons[labels == c]) < 0.5]
        if stray:
            fail(f"{where}: {len(stray)} small cluster(s) are made of outliers only. With "
                 "min_samples this low, a handful of isolated points that happen to be close "
                 "together count as a cluster: raise min_samples.")
        if len(found) == 1:
            fail(f"{where}: DBSCAN found a single cluster: the two moons are joined. eps is "
                 "too large: neighbourhoods that wide bridge the gap between the moons.")
        if len(found) == 0 or noise > 0.5:
            fail(f"{where}: {noise:.0%} of the moon points are marked as noise (-1). eps is "
                 "too small (or min_samples too large): few points have enough neighbours "
                 "within eps to be core samples.")
        if len(found) > 2:
            fail(f"{where}: DBSCAN found {len(found)} clusters: the moons are cut into pieces "
                 "where the points are sparser. Increase eps a little (or lower min_samples).")
        ari = adjusted_rand_score(y[moons], labels[moons])
        if noise > NOISE_MAX:
            fail(f"{where}: {noise:.1%} of the moon points are marked as noise; at most "
                 f"{NOISE_MAX:.0%} may be. eps is a little small for min_samples.")
        outliers = float(np.mean(labels[~moons] == -1))
        if outliers < OUTLIERS_MIN:
            fail(f"{where}: only {outliers:.0%} of the outliers are marked as noise. eps is so "
                 "large that isolated points reach a cluster (or min_samples is too small).")
        if ari < ARI_BAR:
            fail(f"{where}: the adjusted Rand index on the moon points is {ari:.3f}; it needs "
                 f"to be at least {ARI_BAR}. Try eps values in the middle of the range that "
                 "gives two clusters.")
        fitted = (db, X)

    db, X = fitted
    X_new, _ = make_data(300, 15, 201)
    where = f"assign_new(dbscan, X_train, X_new) with X_new: {describe(X_new)}"
    got = assign(db, X.copy(), X_new.copy())
    if got is None:
        fail(f"{where}: it returned None; did you forget to `return` the labels?")
    got = np.asarray(got)
    want = _expected_new(db, X, X_new)
    if got.shape != want.shape:
        fail(f"{where}: the result has shape {got.shape}; it should hold one label per new "
             "point.")
    alone = np.array([np.asarray(assign(db, X.copy(), X_new[i:i + 1].copy())).reshape(-1)[0]
                      for i in range(0, len(X_new), 15)])
    if not np.array_equal(alone, got[::15]):
        fail(f"{where}: some new points get a different label when they are passed one at a "
             "time. A new point's label must not depend on the other new points: do not run "
             "DBSCAN again on the new data; compare each point with the core samples found "
             "in training.")
    if not np.array_equal(got, want):
        far = want == -1
        if far.any() and not np.any(got[far] == -1):
            fail(f"{where}: new points that are farther than eps from every core sample got a "
                 "cluster label. Such points are noise (-1): check the distance to the "
                 "nearest core sample.")
        wrong = int(np.sum(got != want))
        fail(f"{where}: {wrong} of {len(X_new)} new points do not get the label of their "
             "nearest core sample (or -1 when it is farther than eps). Use only the core "
             "samples (dbscan.core_sample_indices_), with their labels.")
    print(f"two moons found on {len(SEEDS)} fresh data sets; new points labelled like DBSCAN "
          "would")
