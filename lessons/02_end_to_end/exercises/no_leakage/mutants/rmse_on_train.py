"""Mutant: reports the error on the training rows instead of the test rows.

The final exam: fit on the training set only, then measure once on the test set."""

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

TARGET = "median_house_value"
NUM_COLUMNS = ["longitude", "latitude", "housing_median_age", "median_income"]
LOG_COLUMNS = ["total_rooms", "total_bedrooms", "population", "households"]
CAT_COLUMNS = ["ocean_proximity"]


# ---- Done for you: your work from the earlier exercises. ----

def income_category(income):
    bins = [0.0, 1.5, 3.0, 4.5, 6.0, np.inf]
    return pd.cut(income, bins=bins, labels=[1, 2, 3, 4, 5]).astype(int)


def stratified_split(df, test_size=0.2, seed=42):
    strata = income_category(df["median_income"])
    return train_test_split(df, test_size=test_size, stratify=strata, random_state=seed)


def build_preprocessing():
    num = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    log = make_pipeline(SimpleImputer(strategy="median"),
                        FunctionTransformer(np.log, feature_names_out="one-to-one"),
                        StandardScaler())
    cat = OneHotEncoder(handle_unknown="ignore")
    return ColumnTransformer([("num", num, NUM_COLUMNS), ("log", log, LOG_COLUMNS),
                              ("cat", cat, CAT_COLUMNS)])


# ---- Your part. ----

def fit_and_evaluate(df, seed=42):
    """Split `df` with stratified_split(df, seed=seed), fit build_preprocessing() and a
    LinearRegression on the training rows only, and measure the RMSE on the test rows.

    Returns (preprocessing, regressor, test_rmse): the fitted ColumnTransformer, the fitted
    LinearRegression (which takes the preprocessing's output) and the test RMSE (a float).
    """
    train_set, test_set = stratified_split(df, seed=seed)
    X_train, y_train = train_set.drop(columns=TARGET), train_set[TARGET]

    preprocessing = build_preprocessing()
    regressor = LinearRegression()
    prepared = preprocessing.fit_transform(X_train)
    regressor.fit(prepared, y_train)

    predictions = regressor.predict(prepared)
    test_rmse = float(np.sqrt(np.mean((predictions - y_train.to_numpy()) ** 2)))
    return preprocessing, regressor, test_rmse
