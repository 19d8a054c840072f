"""Mutant: distances to the last chosen centroid only (no running minimum).

k-means++: spread the starting centroids out, at random."""

import numpy as np

from homl_tui import report


def kmeans_plus_plus(X, k, rng):
    """Choose k starting centroids among the rows of X with the k-means++ rule.

    The first centroid is a row of X drawn uniformly at random. Every next one is a row drawn
    with probability proportional to D(x)**2, where D(x) is the distance from x to the NEAREST
    centroid chosen so far. All randomness comes from `rng` (a numpy Generator).
    Returns a (k, d) array (copies of the chosen rows).
    """
    n = len(X)
    chosen = [int(rng.integers(n))]
    d2 = ((X - X[chosen[0]]) ** 2).sum(axis=1)
    for _ in range(1, k):
        i = int(rng.choice(n, p=d2 / d2.sum()))
        chosen.append(i)
        d2 = ((X - X[i]) ** 2).sum(axis=1)
    return X[chosen].copy()


if __name__ == "__main__":
    from sklearn.cluster import KMeans
    from sklearn.datasets import make_blobs

    X, _ = make_blobs(n_samples=800, centers=8, cluster_std=0.7, random_state=3)
    init = kmeans_plus_plus(X, 8, np.random.default_rng(0))
    report.plot("k-means++ start", init[:, 1], init[:, 0], kind="scatter",
                labels=np.arange(8), title="8 starting centroids chosen by k-means++")

    # Lloyd from 20 random starts and from 20 k-means++ starts: compare the final inertias.
    results = {"random": [], "k-means++": []}
    for seed in range(20):
        rng = np.random.default_rng(seed)
        starts = {"random": X[rng.choice(len(X), size=8, replace=False)],
                  "k-means++": kmeans_plus_plus(X, 8, rng)}
        for name, start in starts.items():
            km = KMeans(n_clusters=8, init=start, n_init=1).fit(X)
            results[name].append(km.inertia_)
        report.progress(seed + 1, 20)
    for name, values in results.items():
        print(f"{name:>9} start: mean final inertia {np.mean(values):8.1f}, "
              f"worst {np.max(values):8.1f}")
    report.plot("inertia", [np.mean(v) for v in results.values()], list(results), kind="bar",
                title="mean final inertia over 20 starts (lower is better)")
    km = KMeans(n_clusters=8, init=init, n_init=1).fit(X)
    report.plot("clusters", X[:, 1], X[:, 0], kind="scatter", labels=km.labels_,
                title="k-means from the k-means++ start")
