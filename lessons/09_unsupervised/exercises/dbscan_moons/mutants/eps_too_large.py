"""Mutant: eps so large that the two moons merge.

DBSCAN on two moons with outliers, and what to do with new points."""

import numpy as np
from sklearn.cluster import DBSCAN
from sklearn.datasets import make_moons
from sklearn.neighbors import NearestNeighbors

from homl_tui import report

EPS = 0.3
MIN_SAMPLES = 5


def make_data(n, n_outliers, seed):
    """Two noisy moons (labels 0 and 1) plus scattered outliers (label -1), all seeded.

    The outliers are at least 0.3 away from every moon point.
    """
    X, y = make_moons(n_samples=n, noise=0.08, random_state=seed)
    rng = np.random.default_rng(seed)
    candidates = rng.uniform([-1.5, -1.0], [2.5, 1.5], size=(20 * n_outliers, 2))
    gap = np.sqrt(((candidates[:, None, :] - X[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
    outliers = candidates[gap > 0.3][:n_outliers]
    return np.vstack([X, outliers]), np.r_[y, -np.ones(len(outliers), dtype=int)]


def cluster_moons(X):
    """A DBSCAN with your EPS and MIN_SAMPLES, fitted on X."""
    return DBSCAN(eps=EPS, min_samples=MIN_SAMPLES).fit(X)


def assign_new(dbscan, X_train, X_new):
    """Labels for new points, without clustering again.

    A new point joins the cluster of its nearest CORE sample if that core sample is within
    dbscan.eps; otherwise it is noise (-1). X_train is the data dbscan was fitted on.
    Returns an int array of shape (len(X_new),).
    """
    core = dbscan.core_sample_indices_
    nearest = NearestNeighbors(n_neighbors=1).fit(X_train[core])
    distance, index = nearest.kneighbors(X_new)
    labels = dbscan.labels_[core][index[:, 0]].copy()
    labels[distance[:, 0] > dbscan.eps] = -1
    return labels


if __name__ == "__main__":
    from sklearn.metrics import adjusted_rand_score

    X, y = make_data(500, 25, seed=0)
    db = cluster_moons(X)
    labels = db.labels_
    moons = y >= 0
    n_clusters = len(set(labels.tolist()) - {-1})
    print(f"eps={EPS}, min_samples={MIN_SAMPLES}: {n_clusters} clusters, "
          f"{np.mean(labels[moons] == -1):.1%} of the moon points marked as noise, "
          f"{np.mean(labels[~moons] == -1):.0%} of the outliers marked as noise")
    print(f"adjusted Rand index on the moon points: {adjusted_rand_score(y[moons], labels[moons]):.3f}")
    report.plot("dbscan", X[:, 1], X[:, 0], kind="scatter", labels=labels,
                title=f"DBSCAN eps={EPS} min_samples={MIN_SAMPLES} (-1 = noise)")

    # Try a few eps values and watch the number of clusters and the noise.
    for eps in (0.05, 0.1, 0.15, 0.2, 0.3):
        trial = DBSCAN(eps=eps, min_samples=MIN_SAMPLES).fit(X).labels_
        print(f"  eps={eps:<4}: {len(set(trial.tolist()) - {-1}):>2} clusters, "
              f"{np.mean(trial == -1):5.1%} noise")

    X_new, y_new = make_data(300, 15, seed=1)
    new_labels = assign_new(db, X, X_new)
    print("new points: ", np.bincount(new_labels + 1), "(noise, cluster 0, cluster 1)")
    report.plot("new points", X_new[:, 1], X_new[:, 0], kind="scatter", labels=new_labels,
                title="new points given the label of their nearest core sample")
