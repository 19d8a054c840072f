# Mistake: shuffles the digits before embedding them and returns the map in the shuffled
# order, so row i of the result is no longer digit i.
import numpy as np
from sklearn.manifold import TSNE


def embed_2d(X):
    X = np.asarray(X, dtype=float)
    order = np.random.default_rng(0).permutation(len(X))
    return TSNE(n_components=2, init="pca", random_state=42).fit_transform(X[order])
