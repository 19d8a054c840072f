# Mistake: decompress forgets to add the mean back (the data was centred before projecting).
import numpy as np
from sklearn.decomposition import PCA


def compress(X, pca):
    return (np.asarray(X, dtype=float) - pca.mean_) @ pca.components_.T


def decompress(Z, pca):
    return np.asarray(Z, dtype=float) @ pca.components_


def held_out_reconstruction_mse(X_train, X_test, n_components):
    pca = PCA(n_components=n_components).fit(X_train)
    X_back = decompress(compress(X_test, pca), pca)
    return float(np.mean((X_test - X_back) ** 2))
