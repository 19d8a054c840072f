# Mistake: calls fit on every batch, which starts over: only the last batch is remembered.
from sklearn.decomposition import IncrementalPCA


def iter_batches(X, batch_size):
    for start in range(0, len(X), batch_size):
        yield X[start:start + batch_size]


def fit_incremental(batches, n_components):
    ipca = IncrementalPCA(n_components=n_components)
    for batch in batches:
        ipca.fit(batch)
    return ipca
