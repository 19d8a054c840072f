"""Check income_category (bin edges included on the right) and stratified_split (sizes, no
lost or shared rows, no helper column, seeded, and a test set with the income mix of the data).

Threshold: the largest gap between a category's share in the test set and in the full data.
Over seeds 0-19 the reference's stratified test sets were all within 0.0001 of the full data,
while plain random splits (train_test_split without stratify) were off by 0.0027 to 0.0176.
We allow 0.001 on each of three seeds; a random split has about a 1-in-1000 chance of passing
one seed, so about 1e-9 of passing all three.
"""

import math

import numpy as np
import pandas as pd

from homl_tui.checks import expect_true, fail, require_function
from homl_tui.datasets import load_districts

EDGES = np.array([1.5, 3.0, 4.5, 6.0])
MAX_GAP = 0.001


def _categories(income):
    return np.searchsorted(EDGES, np.asarray(income, dtype=float), side="left") + 1


def _as_ints(name, out, n):
    if out is None:
        fail(f"`{name}` returned None: return the categories (a Series of ints).")
    try:
        values = np.asarray(out, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        fail(f"`{name}` returned something that is not numbers ({type(out).__name__}): "
             "turn pd.cut's categories into ints with .astype(int).")
    if values.size != n:
        fail(f"`{name}` returned {values.size} values for {n} incomes: one category per value.")
    if np.isnan(values).any():
        fail(f"`{name}` returned missing values: every income above 0 falls in some bin; "
             "is the last bin open to infinity?")
    return values


def _check_income_category(income_category, rng):
    on_edges = pd.Series([0.4999, 1.5, 1.5001, 3.0, 3.0001, 4.5, 4.5001, 6.0, 6.0001, 15.0001])
    random = pd.Series(np.round(rng.uniform(0.3, 15.0, size=200), 4), name="median_income")
    for label, income in (("on the bin edges", on_edges), ("at random", random)):
        got = _as_ints("income_category", income_category(income.copy()), len(income))
        want = _categories(income)
        if np.array_equal(got, want):
            continue
        if np.array_equal(got, want - 1):
            fail("income_category numbers the categories from 0; the lesson numbers them "
                 "1 to 5.")
        if label == "on the bin edges":
            fail("income_category puts incomes that sit exactly on a bin edge (1.5, 3.0, "
                 "4.5, 6.0) in the wrong category: each bin includes its RIGHT edge, "
                 "(1.5, 3.0] for category 2, as pd.cut does by default.")
        bad = int(np.sum(got != want))
        fail(f"income_category gives the wrong category for {bad} of {len(income)} random "
             "incomes: use the bin edges in INCOME_BINS.")


def _split(stratified_split, df, test_size, seed):
    before = list(df.columns)
    out = stratified_split(df, test_size, seed)
    if list(df.columns) != before:
        fail(f"stratified_split changed the caller's frame: it now has the columns "
             f"{sorted(set(df.columns) - set(before))} added. Keep the income categories in "
             "a separate Series, not as a new column of df.")
    if not isinstance(out, tuple) or len(out) != 2:
        fail(f"stratified_split should return a pair (train_set, test_set); it returned a "
             f"{type(out).__name__}.")
    train, test = out
    for name, part in (("train_set", train), ("test_set", test)):
        if not isinstance(part, pd.DataFrame):
            fail(f"`{name}` is a {type(part).__name__}; split the DataFrame itself so both "
                 "parts are DataFrames with all the columns.")
        if list(part.columns) != before:
            extra = sorted(set(part.columns) - set(before))
            what = (f"has the columns {extra} that the data does not have" if extra
                    else "does not have the same columns as the data")
            fail(f"`{name}` {what}: return the rows with exactly the columns of df (drop "
                 "any helper column).")
    return train, test


def _check_split(stratified_split, df, test_size, seed):
    where = f"(test_size={test_size}, seed={seed})"
    train, test = _split(stratified_split, df.copy(), test_size, seed)
    n = len(df)
    want_test = math.ceil(test_size * n)
    if abs(len(test) - want_test) > 5:
        fail(f"The test set has {len(test)} of {n} rows {where}: it should hold a share "
             "`test_size` of the rows.")
    shared = train.index.intersection(test.index)
    if len(shared):
        fail(f"{len(shared)} rows are in both the train and the test set {where}: the two "
             "sets must not overlap.")
    if len(train) + len(test) != n or not train.index.union(test.index).equals(
            df.index.sort_values()):
        fail(f"The train and test sets together hold {len(train) + len(test)} rows but the "
             f"data has {n} {where}: every row goes to exactly one set.")
    if not test.equals(df.loc[test.index]):
        fail(f"The rows in the test set do not match the rows of df with the same index "
             f"{where}: return the rows unchanged.")

    full = pd.Series(_categories(df["median_income"])).value_counts(normalize=True)
    got = pd.Series(_categories(test["median_income"])).value_counts(normalize=True)
    gap = float((got.reindex(full.index, fill_value=0.0) - full).abs().max())
    if gap > MAX_GAP:
        fail(f"In the test set {where}, the share of some income category differs from the "
             f"full data by {100 * gap:.2f} percentage points: that is what a plain random "
             "split gives. Stratify the split by income category.")
    return set(test.index)


def check(learner, ctx):
    income_category = require_function(learner, "income_category")
    stratified_split = require_function(learner, "stratified_split")
    _check_income_category(income_category, ctx.rng(2))

    df = load_districts()
    first = _check_split(stratified_split, df, 0.2, 42)
    again = _check_split(stratified_split, df, 0.2, 42)
    expect_true(first == again,
                "Two calls with the same seed gave different test sets: the split must be "
                "reproducible, so pass the seed to the splitter (random_state=seed).")
    other = _check_split(stratified_split, df, 0.2, 7)
    expect_true(first != other,
                "Seeds 42 and 7 gave the same test set: the `seed` argument is ignored. Pass "
                "it to the splitter instead of a fixed number.")
    _check_split(stratified_split, df, 0.25, 2024)
