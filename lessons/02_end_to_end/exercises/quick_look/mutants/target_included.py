"""Mutant: forgets to drop the target from its own correlation column."""

import numpy as np

TARGET = "median_house_value"
CAP = 500_001


def missing_columns(df):
    return [str(name) for name in df.columns if df[name].isna().any()]


def capped_share(values, cap=CAP):
    values = np.asarray(values, dtype=float)
    return float(np.mean(values >= cap))


def strongest_feature(df, target=TARGET):
    corr = df.corr(numeric_only=True)[target]
    return str(corr.abs().idxmax())
