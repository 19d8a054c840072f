"""Mutant: keeps a zero standard deviation, so a constant column divides by zero.

A custom transformer: a from-scratch clone of scikit-learn's StandardScaler."""

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_array, check_is_fitted


class StandardScalerClone(BaseEstimator, TransformerMixin):
    """Standardize every column: subtract its mean (if with_mean) and divide by its standard
    deviation, both learned in fit. A constant column is left unscaled (scale 1)."""

    def __init__(self, with_mean=True):
        self.with_mean = with_mean  # store hyperparameters as they are: no logic in __init__

    def fit(self, X, y=None):
        if hasattr(X, "columns"):
            self.feature_names_in_ = np.asarray(X.columns, dtype=object)
        X = check_array(X)  # a float array; raises on NaN, on text, on 1-D input
        self.n_features_in_ = X.shape[1]
        self.mean_ = X.mean(axis=0)
        std = X.std(axis=0)  # divides by n, like StandardScaler
        self.scale_ = std
        return self

    def transform(self, X):
        check_is_fitted(self)
        X = check_array(X)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"expected {self.n_features_in_} features, got {X.shape[1]}")
        if self.with_mean:
            X = X - self.mean_  # a new array: never change the caller's data
        return X / self.scale_

    def inverse_transform(self, X):
        check_is_fitted(self)
        X = check_array(X) * self.scale_
        return X + self.mean_ if self.with_mean else X

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self)
        if input_features is not None:
            return np.asarray(input_features, dtype=object)
        if hasattr(self, "feature_names_in_"):
            return self.feature_names_in_.copy()
        return np.asarray([f"x{i}" for i in range(self.n_features_in_)], dtype=object)
