"""Semi-supervised digits: 50 labels, chosen well, spread to every image.

Press Run to compare 50 random labels, 50 representative labels and propagated labels;
press Check to have your pipeline re-run on a split the check makes (it needs 0.90 held out).
"""

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
    # TODO 1: kmeans.transform(X) gives an (n, n_clusters) table: the distance from every
    #         row of X to every centroid. For each cluster (each COLUMN), return the index
    #         of the row with the smallest distance.
    raise NotImplementedError("representatives: fill in the TODO")


def propagate(cluster_of, rep_labels):
    """Give every point the label of its cluster's representative.

    cluster_of[i] is the cluster of point i; rep_labels[j] is the label of the
    representative of cluster j. Returns an array of shape (n,).
    """
    # TODO 2: point i gets rep_labels[cluster_of[i]]. One line of NumPy indexing does it
    #         for every point at once.
    raise NotImplementedError("propagate: fill in the TODO")


def semi_supervised(X_train, ask_labels, seed):
    """Train a classifier on X_train with at most N_LABELS labels.

    ask_labels(indices) returns the true labels of those rows of X_train (a human expert who
    will answer N_LABELS questions in total). Cluster X_train into N_LABELS clusters with
    KMeans(n_clusters=N_LABELS, n_init=3, random_state=seed), ask for the labels of the
    representative images, propagate them to every image of their cluster, and fit
    make_classifier() on all of X_train with the propagated labels.
    Returns (classifier, kmeans, y_propagated).
    """
    # TODO 3: fit the KMeans described in the docstring on X_train.
    # TODO 4: find the representatives and ask the expert for their labels (one call to
    #         ask_labels with the N_LABELS indices; it returns their labels in that order).
    # TODO 5: propagate the labels to every training image (kmeans.labels_ says which
    #         cluster each image is in), fit make_classifier() on X_train with them, and
    #         return (classifier, kmeans, y_propagated).
    raise NotImplementedError("semi_supervised: fill in the TODOs")


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
