# Mistake: returns the fitted estimator instead of the coordinates it computed.
import numpy as np
from sklearn.manifold import TSNE


def embed_2d(X):
    X = np.asarray(X, dtype=float)
    return TSNE(n_components=2, init="pca", random_state=42).fit(X)
