"""A 2-D map of the handwritten digits.

embed_2d(X) takes X of shape (m, 64) (8x8 digit images, one per row, pixel values 0-16) and
returns an array of shape (m, 2): a position on a map for every digit, in the same order as the
rows of X, such that digits that look alike land close together.

The check draws your map coloured by digit and measures it: a 5-nearest-neighbours classifier
that only sees the 2-D positions must recognise held-out digits at least 90% of the time.
Whatever method you choose, it must run in a few seconds on 1,000 digits.
"""

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import cross_val_score
from sklearn.neighbors import KNeighborsClassifier

from homl_tui import report


def embed_2d(X):
    """Return an (m, 2) array of map coordinates for the rows of X, in the same order."""
    X = np.asarray(X, dtype=float)
    # TODO 1: choose a method from sklearn.decomposition or sklearn.manifold. Try PCA first
    #         (it is linear and instant), look at the map, then try a nonlinear one.
    # TODO 2: fix its random_state so the map is the same every time.
    # TODO 3: return the coordinates (fit_transform gives them), not the fitted estimator.
    raise NotImplementedError("embed_2d: fill in the TODOs")


if __name__ == "__main__":
    # Press Run: 1,000 digits on a 2-D map, coloured by their true label.
    X, y = load_digits(return_X_y=True)
    X, y = X[:1000], y[:1000]
    Z = embed_2d(X)
    print("map shape:", np.shape(Z))
    scores = cross_val_score(KNeighborsClassifier(n_neighbors=5), Z, y, cv=3)
    print(f"5-NN accuracy on the map (3-fold): {scores.mean():.3f}")
    report.plot("digits map", Z[:, 1], Z[:, 0], kind="scatter", labels=y,
                title="1,000 digits in 2-D, coloured by digit")
