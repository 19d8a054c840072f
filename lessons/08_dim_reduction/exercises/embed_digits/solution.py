"""Reference solution: t-SNE (initialised with PCA, seeded) on the raw pixels."""

import numpy as np
from sklearn.datasets import load_digits
from sklearn.manifold import TSNE
from sklearn.model_selection import cross_val_score
from sklearn.neighbors import KNeighborsClassifier

from homl_tui import report


def embed_2d(X):
    """Return an (m, 2) array of map coordinates for the rows of X, in the same order."""
    X = np.asarray(X, dtype=float)
    return TSNE(n_components=2, init="pca", random_state=42).fit_transform(X)


if __name__ == "__main__":
    X, y = load_digits(return_X_y=True)
    X, y = X[:1000], y[:1000]
    Z = embed_2d(X)
    print("map shape:", np.shape(Z))
    scores = cross_val_score(KNeighborsClassifier(n_neighbors=5), Z, y, cv=3)
    print(f"5-NN accuracy on the map (3-fold): {scores.mean():.3f}")
    report.plot("digits map", Z[:, 1], Z[:, 0], kind="scatter", labels=y,
                title="1,000 digits in 2-D, coloured by digit")
