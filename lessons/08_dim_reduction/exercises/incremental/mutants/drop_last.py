# Mistake: counts whole batches only (m // batch_size), so the last, smaller batch is lost.
from sklearn.decomposition import IncrementalPCA


def iter_batches(X, batch_size):
    for i in range(len(X) // batch_size):
        yield X[i * batch_size:(i + 1) * batch_size]


def fit_incremental(batches, n_components):
    ipca = IncrementalPCA(n_components=n_components)
    for batch in batches:
        ipca.partial_fit(batch)
    return ipca
