"""Choosing a model honestly: the cross-validated RMSE.

Run this file to compare the training error and the cross-validated error of two models;
Check to test `cv_rmse` on synthetic data and your model on the districts.
"""

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

from homl_tui import report
from homl_tui.datasets import load_districts

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
    # TODO 1: build the KFold splitter described above.
    # TODO 2: score the model on every fold with cross_val_score and the scoring
    #         "neg_root_mean_squared_error", and return the RMSEs as positive numbers.
    raise NotImplementedError("cv_rmse: fill in the TODOs")


def build_model():
    """An unfitted pipeline: raw district features in, predicted median_house_value out."""
    # TODO 3: chain build_preprocessing() and a regressor with make_pipeline. The check wants
    #         a cross-validated RMSE below a threshold; a LinearRegression is enough (and
    #         fast). Keep it quick: the check allows about a minute for everything.
    raise NotImplementedError("build_model: fill in the TODO")


if __name__ == "__main__":
    from sklearn.model_selection import cross_val_predict
    from sklearn.tree import DecisionTreeRegressor

    df = load_districts().sample(4000, random_state=0)
    X, y = df.drop(columns=TARGET), df[TARGET]

    candidates = {
        "your model": build_model(),
        "deep decision tree": make_pipeline(build_preprocessing(),
                                            DecisionTreeRegressor(random_state=0)),
    }
    for name, model in candidates.items():
        train_rmse = float(np.sqrt(np.mean((model.fit(X, y).predict(X) - y) ** 2)))
        scores = cv_rmse(model, X, y)
        print(f"{name:20s} training RMSE {train_rmse:9,.0f}   "
              f"cross-validated RMSE {scores.mean():9,.0f} +- {scores.std():,.0f}")

    predicted = cross_val_predict(build_model(), X, y,
                                  cv=KFold(n_splits=5, shuffle=True, random_state=0))
    report.plot("predicted vs actual", predicted, y.to_numpy(), kind="scatter",
                title="out-of-fold predictions (y) against true values (x), in dollars")
