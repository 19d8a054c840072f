"""One ColumnTransformer that turns raw district rows into clean numeric features.

Run this file to prepare the districts and look at the result; Check to compare your
transformer with the expected one on a train/test split of the districts.
"""

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

from homl_tui import report
from homl_tui.datasets import load_districts

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
    # TODO 1: `num`: a pipeline (make_pipeline) of a median SimpleImputer and a StandardScaler.
    # TODO 2: `log`: the same with a FunctionTransformer applying np.log in the middle. Tell
    #         the FunctionTransformer how its output names relate to its input names, or
    #         get_feature_names_out() will fail (see its `feature_names_out` parameter).
    # TODO 3: `cat`: a OneHotEncoder that ignores categories it did not see during fit.
    # TODO 4: return ColumnTransformer([("num", ...), ("log", ...), ("cat", ...)]) with
    #         NUM_COLUMNS, LOG_COLUMNS and CAT_COLUMNS. Do not fit it here.
    raise NotImplementedError("build_preprocessing: fill in the TODOs")


if __name__ == "__main__":
    df = load_districts()
    features = df.drop(columns=TARGET)
    preprocessing = build_preprocessing()
    X = preprocessing.fit_transform(features)
    names = preprocessing.get_feature_names_out()
    print(f"{features.shape} raw -> {X.shape} prepared, NaN left: {int(np.isnan(X).sum())}")
    for name, column in zip(names, X.T, strict=True):
        print(f"  {name:32s} mean {column.mean():+.3f}  std {column.std():.3f}")

    raw = features["population"].to_numpy()
    logged = X[:, list(names).index("log__population")]
    for label, values in (("raw population", raw), ("log__population", logged)):
        counts, edges = np.histogram(values, bins=30)
        report.plot(label, counts, (edges[:-1] + edges[1:]) / 2,
                    title=f"histogram of {label}")
