"""The silhouette coefficient from scratch, and choosing k with it.

Press Run to draw the mean silhouette for k = 2..8 and the silhouette diagram; press Check to
compare your coefficients with scikit-learn's and your choice of k with the right one.
"""

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
    # TODO 1: compute D, the (n, n) table of Euclidean distances between all points
    #         (broadcasting, then the square root of the summed squares).
    # TODO 2: for each point, a = the mean distance to the other members of its cluster.
    #         D[i, i] is 0, so sum over the whole cluster, then divide by (size - 1).
    # TODO 3: b = the smallest mean distance to the members of ANOTHER cluster: one mean per
    #         other cluster, then the minimum (not one mean over all the other points).
    # TODO 4: s = (b - a) / max(a, b), and s = 0 for a point alone in its cluster.
    #         A loop over the points is fine for a few hundred points.
    raise NotImplementedError("silhouette_samples: fill in the TODOs")


def choose_k(X, ks, seed):
    """Cluster X with KMeans(n_clusters=k, n_init=2, random_state=seed) for each k in ks.

    Returns (best_k, scores): scores[i] is the mean silhouette coefficient (a float, from your
    silhouette_samples) of the clustering with ks[i], and best_k is the k with the highest one.
    """
    # TODO 5: for each k: fit_predict the KMeans described above, and append the mean of
    #         your silhouette_samples(X, labels).
    # TODO 6: return the k (not its position in ks) with the highest score, and the scores.
    raise NotImplementedError("choose_k: fill in the TODOs")


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
