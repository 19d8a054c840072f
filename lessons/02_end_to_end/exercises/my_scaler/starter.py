"""A custom transformer: a from-scratch clone of scikit-learn's StandardScaler.

Run this file to compare your scaler with scikit-learn's; Check to test it on random matrices
(constant columns included), with and without with_mean, on arrays and DataFrames.
"""

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_array, check_is_fitted

from homl_tui.datasets import load_districts


class StandardScalerClone(BaseEstimator, TransformerMixin):
    """Standardize every column: subtract its mean (if with_mean) and divide by its standard
    deviation, both learned in fit. A constant column is left unscaled (scale 1)."""

    def __init__(self, with_mean=True):
        self.with_mean = with_mean  # store hyperparameters as they are: no logic in __init__

    def fit(self, X, y=None):
        if hasattr(X, "columns"):
            self.feature_names_in_ = np.asarray(X.columns, dtype=object)
        X = check_array(X)  # a float array; raises on NaN, on text, on 1-D input
        # TODO 1: learn from X: self.n_features_in_ (number of columns), self.mean_ (the mean
        #         of every column) and self.scale_ (the standard deviation of every column,
        #         the same one StandardScaler uses; 1.0 where a column is constant).
        # TODO 2: return the right object, so that fit(X).transform(X) works.
        raise NotImplementedError("fit: fill in the TODOs")

    def transform(self, X):
        check_is_fitted(self)
        X = check_array(X)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"expected {self.n_features_in_} features, got {X.shape[1]}")
        # TODO 3: standardize X with the statistics learned in fit (center only if
        #         self.with_mean). Do not change the caller's array.
        raise NotImplementedError("transform: fill in the TODO")

    def inverse_transform(self, X):
        check_is_fitted(self)
        X = check_array(X)
        # TODO 4: undo transform: scale back up, then add the mean back (if with_mean).
        raise NotImplementedError("inverse_transform: fill in the TODO")

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self)
        # TODO 5: one output column per input column, with the same name: input_features if
        #         given, else feature_names_in_ if fit saw a DataFrame, else "x0", "x1", ...
        #         Return a NumPy array of dtype object.
        raise NotImplementedError("get_feature_names_out: fill in the TODO")


if __name__ == "__main__":
    from sklearn.preprocessing import StandardScaler

    X = np.random.default_rng(0).normal(5.0, 3.0, size=(8, 3))
    X[:, 1] = 2.0  # a constant column
    mine, theirs = StandardScalerClone().fit(X), StandardScaler().fit(X)
    print("mean_  ", mine.mean_.round(4), " sklearn:", theirs.mean_.round(4))
    print("scale_ ", mine.scale_.round(4), " sklearn:", theirs.scale_.round(4))
    print("largest difference after transform:",
          float(np.abs(mine.transform(X) - theirs.transform(X)).max()))
    print("round trip error:", float(np.abs(mine.inverse_transform(mine.transform(X)) - X).max()))

    df = load_districts()
    numbers = df[["median_income", "housing_median_age"]]
    scaler = StandardScalerClone().fit(numbers)
    print("feature names:", list(scaler.get_feature_names_out()))
    print("scaled column means:", scaler.transform(numbers).mean(axis=0).round(6),
          " standard deviations:", scaler.transform(numbers).std(axis=0).round(6))
