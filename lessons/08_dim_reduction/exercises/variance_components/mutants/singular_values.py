# Mistake: accumulates the share of the singular values instead of the share of the variance.
import numpy as np
from sklearn.decomposition import PCA


def n_components_for_variance(X, threshold=0.95):
    s = PCA().fit(X).singular_values_
    cumulative = np.cumsum(s / s.sum())
    return int(np.argmax(cumulative >= threshold)) + 1
