"""Reference solution: slices with a step for the batches, one IncrementalPCA with partial_fit."""

import os
import tempfile

import numpy as np
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA, IncrementalPCA

from homl_tui import report


def iter_batches(X, batch_size):
    """Yield X[start:start + batch_size] for start = 0, batch_size, 2 * batch_size, ..."""
    for start in range(0, len(X), batch_size):
        yield X[start:start + batch_size]


def fit_incremental(batches, n_components):
    """Fit an IncrementalPCA with n_components on the batches, one at a time; return it."""
    ipca = IncrementalPCA(n_components=n_components)
    for batch in batches:
        ipca.partial_fit(batch)
    return ipca


if __name__ == "__main__":
    X, _ = load_digits(return_X_y=True)
    path = os.path.join(tempfile.mkdtemp(), "digits.npy")
    np.save(path, X)
    X_disk = np.load(path, mmap_mode="r")
    sizes = [len(b) for b in iter_batches(X_disk, 150)]
    print(f"{len(sizes)} batches of sizes {sizes}")
    ipca = fit_incremental(iter_batches(X_disk, 150), 10)
    pca = PCA(n_components=10).fit(X)
    print("rows seen:", int(ipca.n_samples_seen_))
    print("explained variance, incremental:", round(float(ipca.explained_variance_ratio_.sum()), 4),
          "  ordinary:", round(float(pca.explained_variance_ratio_.sum()), 4))
    cosines = np.abs(np.sum(ipca.components_ * pca.components_, axis=1))
    print("|cos| between matching components:", np.round(cosines, 3))
    report.plot("agreement", cosines, list(range(1, 11)), kind="bar",
                title="|cos| between incremental and ordinary components")
