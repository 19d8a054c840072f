"""Mutant: no imputer in the log pipeline, so missing bedrooms stay NaN.

One ColumnTransformer that turns raw district rows into clean numeric features."""

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

TARGET = "median_house_value"
NUM_COLUMNS = ["longitude", "latitude", "housing_median_age", "median_income"]
LOG_COLUMNS = ["total_rooms", "total_bedrooms", "population", "households"]  # heavy right tails
CAT_COLUMNS = ["ocean_proximity"]


def build_preprocessing():
    """An unfitted ColumnTransformer with three parts, in this order:

    "num": NUM_COLUMNS -> fill missing values with the median -> standardize
    "log": LOG_COLUMNS -> fill missing values with the median -> natural log -> standardize
    "cat": CAT_COLUMNS -> one-hot encode, ignoring categories unseen during fit
    """
    num = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    log = make_pipeline(FunctionTransformer(np.log, feature_names_out="one-to-one"),
                        StandardScaler())
    cat = OneHotEncoder(handle_unknown="ignore")
    return ColumnTransformer([
        ("num", num, NUM_COLUMNS),
        ("log", log, LOG_COLUMNS),
        ("cat", cat, CAT_COLUMNS),
    ])
