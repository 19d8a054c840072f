"""The final exam: fit on the training set only, then measure once on the test set."""

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

from homl_tui import report
from homl_tui.datasets import load_districts

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
    X_test, y_test = test_set.drop(columns=TARGET), test_set[TARGET]

    preprocessing = build_preprocessing()
    regressor = LinearRegression()
    regressor.fit(preprocessing.fit_transform(X_train), y_train)  # learn from train rows only

    predictions = regressor.predict(preprocessing.transform(X_test))  # transform, never fit
    test_rmse = float(np.sqrt(np.mean((predictions - y_test.to_numpy()) ** 2)))
    return preprocessing, regressor, test_rmse


if __name__ == "__main__":
    df = load_districts()
    preprocessing, regressor, test_rmse = fit_and_evaluate(df, seed=42)
    print(f"test RMSE: ${test_rmse:,.0f}")

    _, test_set = stratified_split(df, seed=42)
    predictions = regressor.predict(preprocessing.transform(test_set.drop(columns=TARGET)))
    errors = predictions - test_set[TARGET].to_numpy()
    print(f"median absolute error: ${np.median(np.abs(errors)):,.0f}")
    at_cap = test_set[TARGET].to_numpy() >= 500_001
    print(f"RMSE on the {at_cap.sum()} capped districts: ${np.sqrt(np.mean(errors[at_cap]**2)):,.0f}")
    report.plot("predicted vs actual", predictions, test_set[TARGET].to_numpy(), kind="scatter",
                title="test set: predicted price (y) against actual price (x)")
