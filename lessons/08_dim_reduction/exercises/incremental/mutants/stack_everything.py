# Mistake: gathers every batch into one big array first: right answer, but all in memory.
import numpy as np
from sklearn.decomposition import IncrementalPCA


def iter_batches(X, batch_size):
    for start in range(0, len(X), batch_size):
        yield X[start:start + batch_size]


def fit_incremental(batches, n_components):
    X = np.vstack(list(batches))
    return IncrementalPCA(n_components=n_components).fit(X)
