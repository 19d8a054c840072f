"""Check confusion_matrix and error_rates on seeded random label vectors.

confusion_matrix is compared with sklearn.metrics.confusion_matrix(labels=range(n)). The first
case is small and lopsided, so a transposed matrix differs from the right one; later cases have
many repeated (true, predicted) pairs (a fancy-index `+=` undercounts them) and one where the
last class never appears (a size taken from the labels is too small).
When the values are wrong, the check tries the usual mistakes and names the one that matches.
"""

import numpy as np
from sklearn.metrics import confusion_matrix as sk_confusion_matrix

from homl_tui.checks import CheckFailed, describe, expect_close, expect_type, fail, require_function


def _cases(rng):
    cases = [
        (np.array([0, 0, 0, 1, 2, 2]), np.array([0, 1, 1, 1, 0, 2]), 3),
        (rng.integers(0, 2, size=40), rng.integers(0, 2, size=40), 2),
    ]
    y = rng.integers(0, 10, size=300)
    noisy = np.where(rng.random(300) < 0.3, rng.integers(0, 10, size=300), y)
    cases.append((y, noisy, 10))
    y = rng.integers(0, 4, size=60)                      # class 4 of 5 never appears
    cases.append((y, np.where(rng.random(60) < 0.4, rng.integers(0, 4, size=60), y), 5))
    y = rng.integers(0, 3, size=25).astype(np.int32)
    cases.append((y, rng.integers(0, 3, size=25).astype(np.int32), 3))
    return cases


def _check_confusion(fn, ctx):
    for number, (y_true, y_pred, n) in enumerate(_cases(ctx.rng(3)), start=1):
        where = (f"On test input #{number} (y_true: {describe(y_true)}, y_pred: "
                 f"{describe(y_pred)}, n_classes={n})")
        before = (y_true.copy(), y_pred.copy())
        got = fn(y_true, y_pred, n)
        if not (np.array_equal(y_true, before[0]) and np.array_equal(y_pred, before[1])):
            fail(f"{where} your function changed y_true or y_pred in place; leave them as they are.")
        if got is None:
            fail(f"{where} confusion_matrix returned None: did you forget to `return` C?")
        got = np.asarray(got)
        expected = sk_confusion_matrix(y_true, y_pred, labels=list(range(n)))
        if got.shape != expected.shape:
            seen = int(max(y_true.max(), y_pred.max())) + 1
            if got.shape == (seen, seen) and seen < n:
                fail(f"{where} the matrix has shape {got.shape}: its size follows the largest "
                     "label in the data, but a class can be missing from a sample. Size it with "
                     "n_classes, so every class has a row and a column.")
            fail(f"{where} the matrix has shape {got.shape}; it should be square, with one row "
                 "and one column per class (n_classes of each).")
        if np.array_equal(got, expected):
            continue
        if np.array_equal(got, expected.T):
            fail(f"{where} your matrix is transposed: rows must be the TRUE classes and columns "
                 "the PREDICTED ones, so C[i, j] counts true i predicted as j.")
        if got.sum() < len(y_true) and np.all(got <= expected):
            fail(f"{where} the counts add up to {int(got.sum())} for {len(y_true)} samples: "
                 "samples with the same (true, predicted) pair were counted only once. "
                 "`C[y_true, y_pred] += 1` with index arrays writes each repeated cell once; "
                 "use a plain loop or np.add.at, which adds once per index pair.")
        if got.sum() != len(y_true):
            fail(f"{where} the counts add up to {int(got.sum())}, but there are {len(y_true)} "
                 "samples: every sample adds exactly 1 to one cell.")
        try:
            expect_close("confusion_matrix(...)", got, expected)
        except CheckFailed as exc:
            fail(f"{where}: {exc.message}")


def _count_cases(rng):
    cases = [np.array([[5, 2, 1], [0, 4, 0], [3, 3, 2]])]
    C = rng.integers(0, 30, size=(6, 6))
    C[np.diag_indices(6)] += 60
    cases.append(C)
    C = rng.integers(0, 10, size=(4, 4))
    C[2] = 0                                                 # a class with no samples
    cases.append(C)
    return cases


def _check_error_rates(fn):
    for number, C in enumerate(_count_cases(np.random.default_rng(7)), start=1):
        where = f"On test matrix #{number} ({describe(C)})"
        with np.errstate(all="ignore"):
            got = fn(C.copy())
        if got is None:
            fail(f"{where} error_rates returned None: did you forget to `return` the result?")
        expect_type("error_rates(C)", got, np.ndarray, "NumPy array")
        if got.shape != C.shape:
            fail(f"{where} error_rates returned shape {got.shape}; it should keep the shape of C.")
        got = got.astype(np.float64)
        empty = C.sum(axis=1) == 0
        if (~np.isfinite(got)).any():
            if empty.any() and (~np.isfinite(got[empty])).any():
                fail(f"{where} the result has NaN values in the row of a class with no samples "
                     "(its total is 0, and 0 / 0 is NaN). Leave such rows at 0.")
            fail(f"{where} the result contains NaN or infinite values.")
        if np.abs(np.diag(got)).max() > 1e-12:
            fail(f"{where} the diagonal is not 0: set it to 0 so only the errors remain "
                 "(np.fill_diagonal).")
        with np.errstate(all="ignore"):
            C = C.astype(np.float64)
            expected = np.nan_to_num(C / C.sum(axis=1, keepdims=True))
            by_columns = np.nan_to_num(C / C.sum(axis=0, keepdims=True))
        np.fill_diagonal(expected, 0.0)
        np.fill_diagonal(by_columns, 0.0)
        if np.allclose(got, expected, atol=1e-9):
            continue
        if np.allclose(got, by_columns, atol=1e-9):
            fail(f"{where} you divided by the column sums (how often each class was predicted). "
                 "Divide each ROW by its own total instead: the question is 'of all the true "
                 "3s, what fraction became 8s?'.")
        try:
            expect_close("error_rates(C)", got, expected, atol=1e-9)
        except CheckFailed as exc:
            fail(f"{where}: {exc.message}")


def check(learner, ctx):
    _check_confusion(require_function(learner, "confusion_matrix"), ctx)
    _check_error_rates(require_function(learner, "error_rates"))
