"""Check missing_columns, capped_share and strongest_feature on the districts and on made-up
tables.

No thresholds: every answer is exact (the share is compared to 1e-9). The made-up tables come
from a seeded generator: numeric columns with a chosen correlation to a target (some strongly
negative), a text column, missing values in a few columns (a text one included), and a
target clipped at a cap so that several values sit exactly on it.
"""

import numpy as np
import pandas as pd

from homl_tui.checks import expect_close, expect_true, fail, require_function
from homl_tui.datasets import load_districts

TARGET = "median_house_value"


def _table(rng, case):
    """A made-up table: target `price`, numeric features x0..x4, a text column `kind`."""
    n = 300
    z = rng.normal(size=n)
    weights = rng.uniform(-0.4, 0.4, size=5)
    star = case % 5
    weights[star] = -0.95 if case % 2 == 0 else 0.95  # the strongest, negative every other case
    df = pd.DataFrame({f"x{j}": w * z + np.sqrt(1 - w**2) * rng.normal(size=n)
                       for j, w in enumerate(weights)})
    df.insert(2, "kind", rng.choice(["a", "b", "c"], size=n))
    price = np.round(50_000 + 20_000 * z, -2)
    cap = float(np.quantile(price, 0.93).round(-2))
    df["price"] = np.minimum(price, cap)
    holes = [c for c in ("x1", "kind", "x4") if rng.random() < 0.8] or ["kind"]
    if "kind" not in holes:
        holes.append("kind")
    for c in holes:
        df.loc[rng.choice(n, size=int(rng.integers(1, 6)), replace=False), c] = np.nan
    return df, cap, f"x{star}"


def _check_missing(missing_columns, df, where):
    got = missing_columns(df.copy())
    if got is None:
        fail(f"missing_columns returned None on {where}: return a list of column names.")
    try:
        got = [str(c) for c in got]
    except TypeError:
        fail(f"missing_columns returned a {type(got).__name__} on {where}; return a list of "
             "column names.")
    want = [c for c in df.columns if df[c].isna().any()]
    if got == want:
        return
    if set(got) <= set(map(str, df.index)) and not set(got) & set(df.columns):
        fail(f"missing_columns returned row labels on {where}, not column names: look for "
             "missing values down each column (per column, not per row).")
    text_missing = [c for c in want if df[c].dtype.kind not in "biufc"]
    if text_missing and not set(text_missing) & set(got) and set(got) < set(want):
        fail(f"missing_columns misses a text column with missing values on {where}. "
             "describe() and corr() only look at numeric columns; isna() works on every "
             "column.")
    extra = sorted(set(got) - set(want))
    if extra:
        fail(f"missing_columns lists {extra} on {where}, but that column has no missing "
             "value.")
    fail(f"missing_columns returned {got} on {where}: it should list, in the frame's column "
         "order, every column with at least one missing value.")


def _check_share(capped_share, values, cap, where):
    want = float(np.mean(np.asarray(values, dtype=float) >= cap))
    got = capped_share(values.copy(), cap)
    if got is None:
        fail(f"capped_share returned None on {where}: return the share as a float.")
    got = float(np.asarray(got, dtype=float).reshape(-1)[0]) if np.size(got) == 1 else got
    if np.ndim(got) != 0:
        fail(f"capped_share returned {np.ndim(got)}-D data on {where}; return one number.")
    strict = float(np.mean(np.asarray(values, dtype=float) > cap))
    if abs(got - want) <= 1e-9:
        return
    if abs(got - strict) <= 1e-9:
        fail(f"capped_share leaves out the values sitting exactly on the cap ({where}): the "
             "census stored every expensive district AS the cap value, so count values "
             "at or above it.")
    if abs(got - 100 * want) <= 1e-7:
        fail(f"capped_share looks like a percentage on {where}: return a fraction between 0 "
             "and 1.")
    if abs(got - want * len(values)) <= 1e-6:
        fail(f"capped_share returned a count on {where}: divide by the number of values to "
             "get a fraction between 0 and 1.")
    expect_close(f"capped_share on {where}", got, want, rtol=0, atol=1e-9)


def _check_strongest(strongest_feature, df, target, want, where):
    got = strongest_feature(df.copy(), target)
    if got == target:
        fail(f"strongest_feature returned the target itself on {where}: a column is always "
             "perfectly correlated with itself, so leave the target out.")
    corr = df.corr(numeric_only=True)[target].drop(target)
    if got == corr.idxmax() and got != want:
        fail(f"strongest_feature picked `{got}` on {where}, the largest POSITIVE correlation. "
             "A strong negative correlation is just as useful: compare absolute values.")
    if got != want:
        fail(f"strongest_feature returned {got!r} on {where}, which is not the column most "
             "correlated with the target.")


def check(learner, ctx):
    missing_columns = require_function(learner, "missing_columns")
    capped_share = require_function(learner, "capped_share")
    strongest_feature = require_function(learner, "strongest_feature")

    for case in range(4):
        df, cap, star = _table(ctx.rng(100 + case), case)
        where = f"made-up table #{case + 1}"
        _check_missing(missing_columns, df, where)
        _check_share(capped_share, df["price"].to_numpy(), cap, where)
        _check_strongest(strongest_feature, df, "price", star, where)

    df = load_districts()
    where = "the districts"
    _check_missing(missing_columns, df, where)
    _check_share(capped_share, df[TARGET], 500_001, where)
    corr = df.corr(numeric_only=True)[TARGET].drop(TARGET)
    _check_strongest(strongest_feature, df, TARGET, corr.abs().idxmax(), where)
    expect_true(len(df) == 20_640, "The check's copy of the districts is not the expected one.")
