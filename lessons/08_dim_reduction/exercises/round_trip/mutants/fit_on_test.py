# Mistake: fits the PCA on the test set it is then evaluated on (the error looks too good).
import numpy as np
from sklearn.decomposition import PCA


def compress(X, pca):
    return (np.asarray(X, dtype=float) - pca.mean_) @ pca.components_.T


def decompress(Z, pca):
    return np.asarray(Z, dtype=float) @ pca.components_ + pca.mean_


def held_out_reconstruction_mse(X_train, X_test, n_components):
    pca = PCA(n_components=n_components).fit(X_test)
    X_back = decompress(compress(X_test, pca), pca)
    return float(np.mean((X_test - X_back) ** 2))
