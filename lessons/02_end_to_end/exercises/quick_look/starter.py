"""A first look at the districts table: missing values, the capped target, correlations.

Run this file to print a summary and draw the districts on a map; Check to test the three
functions (on the districts and on made-up tables).
"""

import numpy as np
import pandas as pd

from homl_tui import report
from homl_tui.datasets import load_districts

TARGET = "median_house_value"
CAP = 500_001  # the census stored every value above $500,000 as 500,001


def missing_columns(df):
    """The names of the columns with at least one missing value, in the frame's column order."""
    # TODO 1: look at every column (text columns too) and keep the names of those where
    #         .isna() is true at least once. Return a plain list of strings.
    raise NotImplementedError("missing_columns: fill in the TODO")


def capped_share(values, cap=CAP):
    """The fraction (between 0 and 1) of `values` that sit at or above `cap`."""
    # TODO 2: the share of values that are >= cap, as a float between 0 and 1
    #         (the mean of a boolean array is a share).
    raise NotImplementedError("capped_share: fill in the TODO")


def strongest_feature(df, target=TARGET):
    """The numeric column, other than `target`, whose correlation with `target` is the
    largest in absolute value (a strong negative correlation counts as strong)."""
    # TODO 3: correlate the numeric columns with the target (df.corr(numeric_only=True)),
    #         leave the target itself out, and return the name of the column whose
    #         correlation is largest in absolute value.
    raise NotImplementedError("strongest_feature: fill in the TODO")


if __name__ == "__main__":
    df = load_districts()
    print(f"{len(df):,} districts, {df.shape[1]} columns")
    print("columns with missing values:", missing_columns(df))
    print(f"share of districts at the price cap: {capped_share(df[TARGET]):.2%}")
    print("strongest single predictor of the price:", strongest_feature(df))
    print()
    print(df.corr(numeric_only=True)[TARGET].sort_values(ascending=False).round(3).to_string())

    price_band = pd.cut(df[TARGET], [0, 100_000, 200_000, 300_000, 400_000, np.inf],
                        labels=False)
    report.plot("map", df["latitude"], df["longitude"], kind="scatter", labels=price_band,
                title="districts by longitude/latitude, coloured by price band (0 = cheapest)")
    counts = df["ocean_proximity"].value_counts()
    report.plot("ocean", counts.to_numpy(), list(counts.index), kind="bar",
                title="districts per ocean_proximity category")
