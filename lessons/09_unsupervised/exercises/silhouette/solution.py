"""The silhouette coefficient from scratch, and choosing k with it."""

import numpy as np
from sklearn.cluster import KMeans

from homl_tui import report


def silhouette_samples(X, labels):
    """The silhouette coefficient of every point, with NumPy only.

    For a point i in cluster A: a = mean distance from i to the OTHER points of A;
    b = the smallest, over the other clusters B, of the mean distance from i to the points of B;
    s = (b - a) / max(a, b). A point alone in its cluster gets s = 0.
    Returns a float array of shape (n,). There are at least two clusters.
    """
    labels = np.asarray(labels)
    D = np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=2))
    clusters = np.unique(labels)
    # mean_to[i, c]: the sum of the distances from point i to the points of cluster c ...
    member = labels[None, :] == clusters[:, None]            # (n_clusters, n)
    sums = D @ member.T                                      # (n, n_clusters)
    sizes = member.sum(axis=1)                               # (n_clusters,)
    own = np.searchsorted(clusters, labels)                  # column of each point's cluster
    rows = np.arange(len(X))
    own_size = sizes[own]
    # ... divided by the number of OTHER points of its own cluster (the point itself adds 0).
    with np.errstate(divide="ignore", invalid="ignore"):
        a = sums[rows, own] / (own_size - 1)
        means = sums / sizes[None, :]
    means[rows, own] = np.inf
    b = means.min(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = (b - a) / np.maximum(a, b)
    s[own_size == 1] = 0.0
    return np.nan_to_num(s)


def choose_k(X, ks, seed):
    """Cluster X with KMeans(n_clusters=k, n_init=2, random_state=seed) for each k in ks.

    Returns (best_k, scores): scores[i] is the mean silhouette coefficient (a float, from your
    silhouette_samples) of the clustering with ks[i], and best_k is the k with the highest one.
    """
    scores = []
    for k in ks:
        labels = KMeans(n_clusters=k, n_init=2, random_state=seed).fit_predict(X)
        scores.append(float(silhouette_samples(X, labels).mean()))
    return ks[int(np.argmax(scores))], scores


if __name__ == "__main__":
    from sklearn.datasets import make_blobs
    from sklearn.metrics import silhouette_score

    centers = np.array([[0, 0], [6, 0], [3, 5], [-3, 5], [9, 5]], dtype=float)
    X, _ = make_blobs(n_samples=400, centers=centers, cluster_std=[1.0, 0.8, 1.2, 0.7, 0.9],
                      random_state=0)
    ks = list(range(2, 9))
    best, scores = choose_k(X, ks, seed=0)
    for k, score in zip(ks, scores, strict=True):
        print(f"k={k}: mean silhouette {score:.3f}" + ("   <- best" if k == best else ""))
    report.plot("silhouette", scores, ks, kind="line", title="mean silhouette coefficient",
                xlabel="k", ylabel="silhouette")

    labels = KMeans(n_clusters=best, n_init=2, random_state=0).fit_predict(X)
    s = silhouette_samples(X, labels)
    print(f"scikit-learn agrees: {silhouette_score(X, labels):.3f}")
    report.plot("clusters", X[:, 1], X[:, 0], kind="scatter", labels=labels,
                title=f"k-means with k={best}")
    # Points with a negative coefficient sit closer to another cluster than to their own.
    print("points with s < 0:", int(np.sum(s < 0)))
    order = np.lexsort((-s, labels))
    report.plot("silhouette diagram", s[order], np.arange(len(s)), kind="scatter",
                labels=labels[order], title="coefficients, sorted within each cluster",
                xlabel="points, cluster after cluster", ylabel="silhouette")
