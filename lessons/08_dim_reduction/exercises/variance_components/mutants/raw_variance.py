# Mistake: accumulates the variances themselves (explained_variance_), not their ratios.
import numpy as np
from sklearn.decomposition import PCA


def n_components_for_variance(X, threshold=0.95):
    cumulative = np.cumsum(PCA().fit(X).explained_variance_)
    return int(np.argmax(cumulative >= threshold)) + 1
