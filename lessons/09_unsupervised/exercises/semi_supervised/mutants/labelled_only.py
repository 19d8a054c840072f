"""Mutant: trains the classifier on the 50 labelled images only, no propagation.

Semi-supervised digits: 50 labels, chosen well, spread to every image."""

import numpy as np
from sklearn.cluster import KMeans
from sklearn.svm import SVC

from homl_tui import report

N_LABELS = 50


def make_classifier():
    """The classifier trained at the end (given: an RBF support vector machine)."""
    return SVC()


def representatives(X, kmeans):
    """For each cluster of a fitted KMeans, the index of the row of X closest to its centroid.

    Returns an int array of shape (n_clusters,).
    """
    distances = kmeans.transform(X)          # (n, n_clusters): distance to every centroid
    return np.argmin(distances, axis=0)      # down each column: the closest image


def propagate(cluster_of, rep_labels):
    """Give every point the label of its cluster's representative.

    cluster_of[i] is the cluster of point i; rep_labels[j] is the label of the
    representative of cluster j. Returns an array of shape (n,).
    """
    return np.asarray(rep_labels)[np.asarray(cluster_of)]


def semi_supervised(X_train, ask_labels, seed):
    """Train a classifier on X_train with at most N_LABELS labels.

    ask_labels(indices) returns the true labels of those rows of X_train (a human expert who
    will answer N_LABELS questions in total). Cluster X_train into N_LABELS clusters with
    KMeans(n_clusters=N_LABELS, n_init=3, random_state=seed), ask for the labels of the
    representative images, propagate them to every image of their cluster, and fit
    make_classifier() on all of X_train with the propagated labels.
    Returns (classifier, kmeans, y_propagated).
    """
    kmeans = KMeans(n_clusters=N_LABELS, n_init=3, random_state=seed).fit(X_train)
    reps = representatives(X_train, kmeans)
    rep_labels = np.asarray(ask_labels(reps))
    y_propagated = propagate(kmeans.labels_, rep_labels)
    classifier = make_classifier().fit(X_train[reps], rep_labels)
    return classifier, kmeans, y_propagated


def _mosaic(images, rows, cols):
    """Tile 8x8 images into one picture with a blank line between them."""
    out = np.zeros((rows * 9 - 1, cols * 9 - 1))
    for i, image in enumerate(images[: rows * cols]):
        r, c = divmod(i, cols)
        out[r * 9:r * 9 + 8, c * 9:c * 9 + 8] = image.reshape(8, 8)
    return out


if __name__ == "__main__":
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y,
                                                        random_state=0)
    asked = []

    def ask_labels(indices):
        asked.extend(np.asarray(indices).tolist())
        print(f"the expert labels {len(indices)} images")
        return y_train[indices]

    model, kmeans, y_prop = semi_supervised(X_train, ask_labels, seed=0)
    reps = np.asarray(asked)
    print(f"propagated labels are right for {np.mean(y_prop == y_train):.1%} of the "
          f"{len(y_train)} training images")

    rng = np.random.default_rng(0)
    random_idx = rng.choice(len(X_train), size=N_LABELS, replace=False)
    scores = {
        "50 random": make_classifier().fit(X_train[random_idx], y_train[random_idx]),
        "50 representatives": make_classifier().fit(X_train[reps], y_train[reps]),
        "propagated": model,
    }
    accuracies = [float(m.score(X_test, y_test)) for m in scores.values()]
    for name, acc in zip(scores, accuracies, strict=True):
        print(f"{name:>20}: held-out accuracy {acc:.3f}")
    report.plot("accuracy", accuracies, list(scores), kind="bar",
                title="held-out accuracy with 50 labels")
    report.plot("representatives", _mosaic(X_train[reps], 5, 10), kind="image",
                title="the 50 images the expert labelled (closest to each centroid)")
    print("their labels:", y_train[reps].reshape(5, 10))
