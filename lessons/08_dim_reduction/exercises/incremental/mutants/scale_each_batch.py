# Mistake: standardises each batch with its own statistics before feeding it.
from sklearn.decomposition import IncrementalPCA
from sklearn.preprocessing import StandardScaler


def iter_batches(X, batch_size):
    for start in range(0, len(X), batch_size):
        yield X[start:start + batch_size]


def fit_incremental(batches, n_components):
    ipca = IncrementalPCA(n_components=n_components)
    for batch in batches:
        ipca.partial_fit(StandardScaler().fit_transform(batch))
    return ipca
