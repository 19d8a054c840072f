# Mistake: measures the reconstruction error on the training set, not on the held-out set.
import numpy as np
from sklearn.decomposition import PCA


def compress(X, pca):
    return (np.asarray(X, dtype=float) - pca.mean_) @ pca.components_.T


def decompress(Z, pca):
    return np.asarray(Z, dtype=float) @ pca.components_ + pca.mean_


def held_out_reconstruction_mse(X_train, X_test, n_components):
    pca = PCA(n_components=n_components).fit(X_train)
    X_back = decompress(compress(X_train, pca), pca)
    return float(np.mean((X_train - X_back) ** 2))
