"""Mutant: only numeric columns are searched (as describe() does), so a text column with gaps
is missed."""

import numpy as np

TARGET = "median_house_value"
CAP = 500_001


def missing_columns(df):
    numeric = df.select_dtypes("number")
    counts = numeric.isna().sum()
    return [str(name) for name in counts[counts > 0].index]


def capped_share(values, cap=CAP):
    values = np.asarray(values, dtype=float)
    return float(np.mean(values >= cap))


def strongest_feature(df, target=TARGET):
    corr = df.corr(numeric_only=True)[target].drop(target)
    return str(corr.abs().idxmax())
