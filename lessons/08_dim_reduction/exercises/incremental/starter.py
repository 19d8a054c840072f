"""Incremental PCA: fit on a data set one batch at a time, never holding all of it in memory.

iter_batches(X, batch_size) yields consecutive blocks of rows of X: X[0:b], X[b:2b], ...,
including the last, smaller block when batch_size does not divide len(X). X can be a
np.memmap (an array that lives on disk), so only the rows of one batch are read at a time.

fit_incremental(batches, n_components) trains sklearn's IncrementalPCA on an iterable of
batches, seeing each batch once, and returns the fitted model. `batches` may be a generator:
it can be looped over only once, and keeping every batch around (list(batches),
np.vstack(...)) would defeat the purpose.
"""

import os
import tempfile

import numpy as np
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA, IncrementalPCA

from homl_tui import report


def iter_batches(X, batch_size):
    """Yield X[start:start + batch_size] for start = 0, batch_size, 2 * batch_size, ..."""
    # TODO 1: loop over the start of every batch (range with a step) and yield the slice.
    #         Make sure the last, smaller batch is yielded too.
    raise NotImplementedError("iter_batches: fill in the TODO")


def fit_incremental(batches, n_components):
    """Fit an IncrementalPCA with n_components on the batches, one at a time; return it."""
    # TODO 2: create ONE IncrementalPCA(n_components=n_components).
    # TODO 3: feed it every batch with partial_fit (fit would start over each time).
    # TODO 4: return the fitted model.
    raise NotImplementedError("fit_incremental: fill in the TODOs")


if __name__ == "__main__":
    # Press Run: the digits go to a file on disk, are read back batch by batch through a
    # memmap, and the incremental components are compared with ordinary PCA's.
    X, _ = load_digits(return_X_y=True)
    path = os.path.join(tempfile.mkdtemp(), "digits.npy")
    np.save(path, X)
    X_disk = np.load(path, mmap_mode="r")          # nothing is read into memory yet
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
