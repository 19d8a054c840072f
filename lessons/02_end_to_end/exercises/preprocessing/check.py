"""Check build_preprocessing: fitted on a seeded 70% of the districts, applied to the rest.

Compared with the reference ColumnTransformer: the feature names (get_feature_names_out), no
NaN anywhere, every output column (rtol 1e-6), the values filled in for missing bedrooms, and
a test row whose ocean_proximity was never seen in training (it must encode as all zeros, not
raise). No thresholds except the skewness test that explains a missing log: the reference's
log columns have |skew| below 0.5 on these rows, the raw columns above 2; we flag above 1.
"""

import numpy as np

from homl_tui.checks import expect_close, expect_shape, expect_true, fail, require_function
from homl_tui.datasets import load_districts

TARGET = "median_house_value"


def _dense(name, out):
    if hasattr(out, "toarray"):
        out = out.toarray()
    try:
        return np.asarray(out, dtype=float)
    except (TypeError, ValueError):
        fail(f"{name} did not give numbers ({type(out).__name__}): is every column encoded?")


def _skew(v):
    v = v - v.mean()
    return float(np.mean(v**3) / np.mean(v**2) ** 1.5)


def _names(prep):
    try:
        return [str(n) for n in prep.get_feature_names_out()]
    except Exception as exc:  # noqa: BLE001 - explained to the learner
        fail("get_feature_names_out() fails on your fitted transformer "
             f"({type(exc).__name__}: {str(exc).splitlines()[0][:150]}). A FunctionTransformer "
             "only knows its output feature names if you say how they relate to its input "
             "names: look at its feature_names_out parameter.")


def _check_names(got, want):
    if got == want:
        return
    missing = [n for n in want if n not in got]
    extra = [n for n in got if n not in want]
    if not missing and not extra:
        fail("The feature names are right but in another order: list the parts as num, log, "
             "cat, each with its columns in the order of NUM_COLUMNS, LOG_COLUMNS and "
             "CAT_COLUMNS.")
    fail(f"The output feature names are not the expected ones: missing {missing[:4]}, "
         f"unexpected {extra[:4]}. Name the three parts \"num\", \"log\" and \"cat\", and give "
         "each the columns listed at the top of the file.")


def _check_nan(out, names, frame, label):
    bad = np.isnan(out)
    if not bad.any():
        return
    column = names[int(np.argwhere(bad)[0][1])] if len(names) == out.shape[1] else "?"
    holes = frame["total_bedrooms"].isna().to_numpy()
    rows = bad.any(axis=1)
    if rows.sum() == holes.sum() and np.array_equal(rows, holes):
        fail(f"The prepared {label} has NaN exactly in the rows where total_bedrooms is "
             f"missing (column {column}): every numeric part needs an imputer before the "
             "other steps.")
    fail(f"The prepared {label} has {int(bad.sum())} NaN value(s), first in column {column}, "
         f"in rows where the input is not missing. np.log of a number <= 0 gives NaN: take "
         "the log of the raw (positive) counts, before standardizing them.")


def check(learner, ctx):
    build = require_function(learner, "build_preprocessing")
    df = load_districts()
    features = df.drop(columns=TARGET)
    rng = ctx.rng(4)
    order = rng.permutation(len(features))
    train = features.iloc[order[:14_000]]
    test = features.iloc[order[14_000:]].copy()
    unseen = test.index[:3]
    test.loc[unseen, "ocean_proximity"] = "NEAR LAKE"

    prep = build()
    for method in ("fit", "transform", "fit_transform"):
        expect_true(hasattr(prep, method), f"build_preprocessing returned a "
                    f"{type(prep).__name__}, which has no `{method}`: return the "
                    "ColumnTransformer (unfitted).")
    ref = ctx.reference.build_preprocessing()
    want_train = ref.fit_transform(train)
    want_test = ref.transform(test)
    want_names = [str(n) for n in ref.get_feature_names_out()]

    got_train = _dense("fit_transform(train rows)", prep.fit_transform(train))
    names = _names(prep)
    _check_nan(got_train, names, train, "training set")
    try:
        got_test = _dense("transform(test rows)", prep.transform(test))
    except ValueError as exc:
        if "unknown categor" in str(exc).lower() or "NEAR LAKE" in str(exc):
            fail("transform raised on a test row whose ocean_proximity ('NEAR LAKE') never "
                 "appeared in training. New data will contain surprises: tell the "
                 "OneHotEncoder to ignore unknown categories (encode them as all zeros).")
        raise
    _check_names(names, want_names)
    expect_shape("the prepared training set", got_train, want_train.shape)
    _check_nan(got_test, names, test, "test set")

    for j, name in enumerate(names):
        g, w = got_train[:, j], want_train[:, j]
        if np.allclose(g, w, rtol=1e-6, atol=1e-8):
            continue
        if name.startswith("log__") and abs(_skew(g)) > 1:
            fail(f"Column {name} is still heavily skewed after preparation (skew "
                 f"{_skew(g):.2f}): apply np.log to the heavy-tailed counts (before scaling).")
        if name.startswith(("num__", "log__")) and (abs(g.mean()) > 1e-6 or
                                                    abs(g.std() - 1) > 1e-6):
            fail(f"Column {name} has mean {g.mean():.3g} and standard deviation {g.std():.3g} "
                 "on the training rows: it is not standardized (end each numeric part with "
                 "a StandardScaler).")
        holes = train["total_bedrooms"].isna().to_numpy()
        if name == "log__total_bedrooms" and not np.allclose(g[holes], w[holes], rtol=1e-6):
            fail("The values filled in for missing total_bedrooms are not right. Counts like "
                 "this have a long right tail that pulls the mean up: fill with the median.")
        expect_close(f"prepared column {name}", g, w, rtol=1e-6, atol=1e-8)

    expect_true(np.all(got_test[:3][:, [n.startswith("cat__") for n in names]] == 0),
                "A test row with an ocean_proximity never seen in training should get zeros in "
                "every cat__ column.")
    expect_close("the prepared test set", got_test, want_test, rtol=1e-6, atol=1e-8)
