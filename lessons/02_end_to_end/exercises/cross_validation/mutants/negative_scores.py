"""Mutant: returns scikit-learn's negated scores as they are.

Choosing a model honestly: the cross-validated RMSE."""

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

TARGET = "median_house_value"
NUM_COLUMNS = ["longitude", "latitude", "housing_median_age", "median_income"]
LOG_COLUMNS = ["total_rooms", "total_bedrooms", "population", "households"]
CAT_COLUMNS = ["ocean_proximity"]


# ---- Done for you: the preprocessing from the previous exercise. ----

def build_preprocessing():
    num = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    log = make_pipeline(SimpleImputer(strategy="median"),
                        FunctionTransformer(np.log, feature_names_out="one-to-one"),
                        StandardScaler())
    cat = OneHotEncoder(handle_unknown="ignore")
    return ColumnTransformer([("num", num, NUM_COLUMNS), ("log", log, LOG_COLUMNS),
                              ("cat", cat, CAT_COLUMNS)])


# ---- Your part. ----

def cv_rmse(model, X, y, folds=5, seed=0):
    """The RMSE of `model` on each validation fold of a K-fold cross-validation.

    The folds come from KFold(n_splits=folds, shuffle=True, random_state=seed).
    Returns a NumPy array of `folds` positive numbers (in the units of y).
    """
    splitter = KFold(n_splits=folds, shuffle=True, random_state=seed)
    scores = cross_val_score(model, X, y, cv=splitter, scoring="neg_root_mean_squared_error")
    return scores


def build_model():
    """An unfitted pipeline: raw district features in, predicted median_house_value out."""
    return make_pipeline(build_preprocessing(), LinearRegression())
