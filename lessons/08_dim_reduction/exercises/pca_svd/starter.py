"""PCA from scratch: centre the data, take its SVD, keep the top directions.

X has shape (m, n): m examples (rows) with n features (columns).
pca_fit(X, k) returns three arrays:
  mean        shape (n,)    the average example, subtracted before the SVD
  components  shape (k, n)  the k principal directions, ONE PER ROW, each a unit vector,
                            ordered from the most variance to the least
  ratio       shape (k,)    the fraction of the total variance along each component

An SVD only fixes each direction up to its sign (v and -v are equally good), so we pick one
with a rule: flip every component whose entry of largest absolute value is negative. That
is what scikit-learn does too, so your answer can be compared with sklearn's PCA.
"""

import numpy as np

from homl_tui import report


def pca_fit(X, n_components):
    """Return (mean, components, ratio) of the PCA of X, using numpy only (no sklearn)."""
    X = np.asarray(X, dtype=float)
    # TODO 1: the mean of every feature (one number per column), and the centred data.
    # TODO 2: the SVD of the centred data: np.linalg.svd(..., full_matrices=False) gives
    #         U, s, Vt with the singular values s sorted from largest to smallest.
    #         Which of U or Vt holds directions in FEATURE space, and are they rows or columns?
    # TODO 3: keep the first n_components directions, then apply the sign rule: for each
    #         component, find the entry with the largest absolute value; if it is negative,
    #         multiply the whole component by -1.
    # TODO 4: the explained variance ratio: the variance along component i is proportional to
    #         s[i] ** 2; divide by the total over ALL singular values.
    raise NotImplementedError("pca_fit: fill in the TODOs")


if __name__ == "__main__":
    # Press Run: an elongated cloud of 2-D points; its first component should point along it.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 2)) @ np.array([[3.0, 1.0], [0.0, 0.5]]) + [5.0, -2.0]
    mean, components, ratio = pca_fit(X, 2)
    print("mean      ", np.round(mean, 3))
    print("components\n", np.round(components, 3))
    print("ratio     ", np.round(ratio, 3), " (sums to", round(float(ratio.sum()), 3), ")")
    Z = (X - mean) @ components.T
    print("variance along each component:", np.round(Z.var(axis=0), 3))
    report.plot("data", X[:, 1], X[:, 0], kind="scatter", title="the original cloud")
    report.plot("projected", Z[:, 1], Z[:, 0], kind="scatter",
                title="the same cloud in the coordinates of its principal components")
