# Mistake: returns the index where the threshold is reached, not the number of components.
import numpy as np
from sklearn.decomposition import PCA


def explained_variance_ratios(X):
    return PCA().fit(X).explained_variance_ratio_


def n_components_for_variance(X, threshold=0.95):
    cumulative = np.cumsum(explained_variance_ratios(X))
    return int(np.argmax(cumulative >= threshold))
