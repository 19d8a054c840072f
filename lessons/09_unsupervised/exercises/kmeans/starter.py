"""Lloyd's k-means from scratch, with NumPy only.

Press Run to cluster five blobs and watch the inertia fall; press Check to compare your
k-means with scikit-learn's KMeans started from the same centroids.
"""

import numpy as np

from homl_tui import report


def assign(X, centroids):
    """The index of the nearest centroid for every row of X (an int array of shape (n,))."""
    # TODO 1: compute the squared distance from every point (n, d) to every centroid (k, d),
    #         an (n, k) array. Broadcasting does it without loops: X[:, None, :] has shape
    #         (n, 1, d) and centroids[None, :, :] has shape (1, k, d).
    # TODO 2: return, for each row, the column of the SMALLEST distance.
    raise NotImplementedError("assign: fill in the TODOs")


def update(X, labels, centroids):
    """New centroids: the mean of the points of each cluster.

    A cluster that received no point keeps its old centroid. Returns a new (k, d) float array
    and leaves `centroids` unchanged.
    """
    # TODO 3: start from a float COPY of centroids (do not modify the argument).
    # TODO 4: for each cluster j, if it has points, replace row j by the mean of
    #         X[labels == j] over the points (one mean per coordinate). If it has no
    #         point, leave its old centroid where it was (the mean of nothing is NaN).
    raise NotImplementedError("update: fill in the TODOs")


def kmeans(X, init, max_iter=100):
    """Lloyd's algorithm from the starting centroids `init` (k, d).

    Alternate assign and update until an update no longer changes any assignment, or after
    max_iter updates. Returns (centroids, labels, inertia, n_iter): the final centroids, the
    label of every point (its nearest final centroid), the sum of squared distances from each
    point to its centroid, and the number of updates made.
    """
    # TODO 5: labels = assign(X, init). Then loop at most max_iter times: update the
    #         centroids, assign again, and stop as soon as no label changed
    #         (np.array_equal compares two whole arrays). Count the updates.
    # TODO 6: compute the inertia: the sum over all points of the squared distance to the
    #         centroid of their cluster (centroids[labels] lines them up with X).
    raise NotImplementedError("kmeans: fill in the TODOs")


if __name__ == "__main__":
    from sklearn.datasets import make_blobs

    X, _ = make_blobs(n_samples=600, centers=5, cluster_std=0.9, random_state=7)
    rng = np.random.default_rng(0)
    init = X[rng.choice(len(X), size=5, replace=False)]

    # Watch the inertia fall, one update at a time.
    centroids, labels = init.copy(), assign(X, init)
    for step in range(1, 11):
        centroids = update(X, labels, centroids)
        labels = assign(X, centroids)
        report.metric(step=step, inertia=float(((X - centroids[labels]) ** 2).sum()))

    centroids, labels, inertia, n_iter = kmeans(X, init)
    print(f"converged after {n_iter} updates, inertia {inertia:.1f}")
    print("cluster sizes:", np.bincount(labels, minlength=5))
    report.plot("clusters", X[:, 1], X[:, 0], kind="scatter", labels=labels,
                title=f"k-means, k=5 (inertia {inertia:.0f})", xlabel="x0", ylabel="x1")
    report.plot("centroids", centroids[:, 1], centroids[:, 0], kind="scatter",
                labels=np.arange(5), title="final centroids")
