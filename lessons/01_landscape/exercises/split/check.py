"""Check shuffle_split: sizes, no overlap, nothing lost, rows paired, shuffled, seeded by rng.

Each row carries its own index in X[:, 0] and 10 * index + 0.5 in y, so the check can see
which examples went where. The rows are stored in increasing order (like a table sorted by
GDP). No thresholds: every property is exact. A correct shuffle puts the test set on exactly
the first or last rows with probability about 1/C(103, 20), so "not shuffled" never fires
by chance; two different seeds give the same split with about that probability too.
"""

import numpy as np

from homl_tui.checks import expect_true, fail, require_function

CASES = ((103, 0.2), (50, 0.3), (10, 0.5), (7, 0.25), (40, 0.25), (29, 0.3))


def _data(n, d=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    X[:, 0] = np.arange(n)
    return X, 10.0 * np.arange(n) + 0.5


def _split(fn, X, y, ratio, seed):
    out = fn(X, y, ratio, np.random.default_rng(seed))
    if not isinstance(out, (tuple, list)) or len(out) != 4:
        fail("shuffle_split should return four arrays: X_train, X_test, y_train, y_test "
             f"(in that order); it returned a {type(out).__name__}"
             + (f" of length {len(out)}." if isinstance(out, (tuple, list)) else "."))
    return [np.asarray(part) for part in out]


def _check_case(fn, n, ratio, seed):
    X, y = _data(n, seed=seed)
    X0, y0 = X.copy(), y.copy()
    X_train, X_test, y_train, y_test = _split(fn, X, y, ratio, seed)
    where = f"(n={n}, test_ratio={ratio})"
    if not (np.array_equal(X, X0) and np.array_equal(y, y0)):
        fail(f"shuffle_split changed its inputs X or y in place {where} (rng.shuffle does "
             "that). Shuffle an array of indices instead, and leave the data as it was.")
    n_test = int(n * ratio)
    for name, part in (("X_train", X_train), ("X_test", X_test)):
        if part.ndim != 2 or part.shape[1] != X.shape[1]:
            fail(f"`{name}` has shape {part.shape} {where}: it should keep the columns of X, "
                 "selecting whole rows.")
    for name, part in (("y_train", y_train), ("y_test", y_test)):
        if part.ndim != 1:
            fail(f"`{name}` has shape {part.shape} {where}: targets stay 1-D.")
    ids_test = X_test[:, 0].astype(int)
    ids_train = X_train[:, 0].astype(int)
    both = np.intersect1d(ids_train, ids_test)
    if both.size:
        fail(f"{both.size} example(s) appear in both the training and the test set {where}. "
             "The test rows and the training rows must not overlap: check where your slices "
             "start and stop (Python slices exclude their end).")
    counts = np.bincount(np.concatenate([ids_train, ids_test]), minlength=n)
    if (counts == 0).any() or (counts > 1).any():
        fail(f"{int((counts == 0).sum())} example(s) are in neither set and "
             f"{int((counts > 1).sum())} are repeated {where}: every example must land in "
             "exactly one of the two sets.")
    expect_true(len(ids_test) == n_test,
                f"The test set has {len(ids_test)} rows {where}; it should hold "
                "int(n * test_ratio) rows, rounded down, and the training set the rest.")
    if len(y_train) != len(X_train) or len(y_test) != len(X_test):
        fail(f"X and y parts have different lengths {where}: select the same rows from both.")
    if not (np.array_equal(y_train, 10.0 * ids_train + 0.5)
            and np.array_equal(y_test, 10.0 * ids_test + 0.5)):
        fail(f"Rows of X are no longer next to their own targets {where}: X and y were "
             "shuffled separately. Draw ONE permutation of the indices and use it for both.")
    return np.sort(ids_test)


def check(learner, ctx):
    fn = require_function(learner, "shuffle_split")
    ctx.reseed()
    for number, (n, ratio) in enumerate(CASES):
        _check_case(fn, n, ratio, ctx.seed + number)

    n, ratio = 103, 0.2
    n_test = int(n * ratio)
    test = _check_case(fn, n, ratio, ctx.seed + 10)
    if np.array_equal(test, np.arange(n - n_test, n)) or np.array_equal(test, np.arange(n_test)):
        fail("Your test set is a block of rows taken from one end of the data as stored, "
             "not shuffled. Real tables are often sorted (by date, by GDP, by class), so a "
             "test set cut from one end is not representative. Shuffle the indices first.")
    again = _check_case(fn, n, ratio, ctx.seed + 10)
    expect_true(np.array_equal(test, again),
                "Two calls with generators seeded the same way gave different splits: draw "
                "the random order from `rng` (rng.permutation), not from np.random.")
    other = _check_case(fn, n, ratio, ctx.seed + 11)
    expect_true(not np.array_equal(test, other),
                "Generators with different seeds gave the same split: the order must come "
                "from `rng`, not from a fixed seed inside your function.")
    ctx.report.plot("test_rows", np.ones(len(test)), test, kind="scatter",
                    title=f"rows chosen for the test set (n={n}, test_ratio={ratio})")
