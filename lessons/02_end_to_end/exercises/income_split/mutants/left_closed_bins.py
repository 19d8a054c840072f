"""Mutant: np.digitize puts a value that sits on a bin edge in the bin above.

A test set that looks like the whole data: a split stratified by income category."""

import numpy as np
from sklearn.model_selection import train_test_split

INCOME_BINS = [0.0, 1.5, 3.0, 4.5, 6.0, np.inf]  # in tens of thousands of dollars


def income_category(income):
    """The income category (an int from 1 to 5) of every value in `income`.

    Category 1 is (0, 1.5], 2 is (1.5, 3.0], ... and 5 is everything above 6.0:
    each bin includes its right edge, like pd.cut does by default.
    """
    return np.digitize(income, INCOME_BINS[1:-1]) + 1


def stratified_split(df, test_size=0.2, seed=42):
    """Split `df` into (train_set, test_set) so that both keep the income-category mix of `df`.

    The same seed always gives the same split. The returned frames have exactly the columns
    of `df` (no helper column), and `df` itself is left untouched.
    """
    strata = income_category(df["median_income"])
    train_set, test_set = train_test_split(df, test_size=test_size, stratify=strata,
                                           random_state=seed)
    return train_set, test_set
