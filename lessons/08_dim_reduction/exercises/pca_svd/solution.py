"""Reference solution: PCA by SVD of the centred data, with sklearn's sign convention."""

import numpy as np

from homl_tui import report


def pca_fit(X, n_components):
    """Return (mean, components, ratio) of the PCA of X, using numpy only (no sklearn)."""
    X = np.asarray(X, dtype=float)
    mean = X.mean(axis=0)
    U, s, Vt = np.linalg.svd(X - mean, full_matrices=False)
    components = Vt[:n_components].copy()
    biggest = np.argmax(np.abs(components), axis=1)
    signs = np.sign(components[np.arange(n_components), biggest])
    components *= signs[:, None]
    variances = s ** 2
    ratio = variances[:n_components] / variances.sum()
    return mean, components, ratio


if __name__ == "__main__":
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
