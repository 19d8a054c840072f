"""Mutant: tests identity (`is`) instead of equality, so the loop never breaks early.

Lloyd's k-means from scratch, with NumPy only."""

import numpy as np

from homl_tui import report


def assign(X, centroids):
    """The index of the nearest centroid for every row of X (an int array of shape (n,))."""
    # Squared distances (n, k) by broadcasting: (n, 1, d) - (1, k, d).
    d2 = ((X[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
    return np.argmin(d2, axis=1)


def update(X, labels, centroids):
    """New centroids: the mean of the points of each cluster.

    A cluster that received no point keeps its old centroid. Returns a new (k, d) float array
    and leaves `centroids` unchanged.
    """
    new = np.array(centroids, dtype=float, copy=True)
    for j in range(len(centroids)):
        members = X[labels == j]
        if len(members) > 0:
            new[j] = members.mean(axis=0)
    return new


def kmeans(X, init, max_iter=100):
    """Lloyd's algorithm from the starting centroids `init` (k, d).

    Alternate assign and update until an update no longer changes any assignment, or after
    max_iter updates. Returns (centroids, labels, inertia, n_iter): the final centroids, the
    label of every point (its nearest final centroid), the sum of squared distances from each
    point to its centroid, and the number of updates made.
    """
    centroids = np.array(init, dtype=float, copy=True)
    labels = assign(X, centroids)
    n_iter = 0
    while n_iter < max_iter:
        n_iter += 1
        centroids = update(X, labels, centroids)
        new_labels = assign(X, centroids)
        if new_labels is labels:
            break
        labels = new_labels
    labels = assign(X, centroids)
    inertia = float(((X - centroids[labels]) ** 2).sum())
    return centroids, labels, inertia, n_iter


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
