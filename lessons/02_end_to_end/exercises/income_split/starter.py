"""A test set that looks like the whole data: a split stratified by income category.

Run this file to compare the category mix of a stratified and a random test set; Check to
test `income_category` and `stratified_split`.
"""

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from homl_tui import report
from homl_tui.datasets import load_districts

INCOME_BINS = [0.0, 1.5, 3.0, 4.5, 6.0, np.inf]  # in tens of thousands of dollars


def income_category(income):
    """The income category (an int from 1 to 5) of every value in `income`.

    Category 1 is (0, 1.5], 2 is (1.5, 3.0], ... and 5 is everything above 6.0:
    each bin includes its right edge, like pd.cut does by default.
    """
    # TODO 1: cut `income` into the INCOME_BINS with labels 1..5 and return integers
    #         (pd.cut gives a categorical: .astype(int) turns it into plain ints).
    raise NotImplementedError("income_category: fill in the TODO")


def stratified_split(df, test_size=0.2, seed=42):
    """Split `df` into (train_set, test_set) so that both keep the income-category mix of `df`.

    The same seed always gives the same split. The returned frames have exactly the columns
    of `df` (no helper column), and `df` itself is left untouched.
    """
    # TODO 2: compute the income category of every row (without adding it to df).
    # TODO 3: split with train_test_split, passing test_size, the categories as `stratify`
    #         and the seed as `random_state`; return (train_set, test_set).
    raise NotImplementedError("stratified_split: fill in the TODOs")


if __name__ == "__main__":
    df = load_districts()
    categories = income_category(df["median_income"])
    train_set, test_set = stratified_split(df, seed=42)
    _, random_test = train_test_split(df, test_size=0.2, random_state=42)

    def shares(frame):
        return income_category(frame["median_income"]).value_counts(normalize=True).sort_index()

    table = pd.DataFrame({"all data": shares(df), "stratified test": shares(test_set),
                          "random test": shares(random_test)})
    table["strat. error %"] = 100 * (table["stratified test"] / table["all data"] - 1)
    table["random error %"] = 100 * (table["random test"] / table["all data"] - 1)
    print(f"train: {len(train_set):,} rows   test: {len(test_set):,} rows")
    print(table.round(4).to_string())

    counts = categories.value_counts().sort_index()
    report.plot("income", counts.to_numpy(), [str(c) for c in counts.index], kind="bar",
                title="districts per income category (1 = under $15k ... 5 = over $60k)")
