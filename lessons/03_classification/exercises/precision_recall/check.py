"""Check precision_recall_f1 and macro_scores against sklearn.metrics on seeded random labels.

Binary cases: a small hand-made one where precision and recall differ (so swapping them shows),
imbalanced random ones, one where nothing is predicted positive and one with no real
positives (both need the zero_division=0 rule). Macro cases: a small 3-class one, an
imbalanced 10-class one (macro, micro and "F1 of the averages" all differ there) and one where
a class is never predicted. The learner's file may not import sklearn.metrics (AST check).
"""

import ast
import inspect
import warnings

import numpy as np
from sklearn.metrics import precision_recall_fscore_support

from homl_tui.checks import describe, expect_true, fail, require_function

TOL = 1e-9
ZERO_DIVISION = ("When no sample is predicted positive, TP + FP is 0 (and when there is no real "
                 "positive, TP + FN is 0): a division by zero. Define that score as 0.0, like "
                 "sklearn's zero_division=0, instead of dividing.")


def _sk(y_true, y_pred, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p, r, f, _ = precision_recall_fscore_support(y_true, y_pred, zero_division=0, **kw)
    return float(p), float(r), float(f)


def _three_floats(name, out, where):
    if out is None:
        fail(f"{where} `{name}` returned None: did you forget to `return`?")
    try:
        values = [float(v) for v in out]
    except (TypeError, ValueError):
        fail(f"{where} `{name}` should return three numbers (precision, recall, f1); it "
             f"returned a {type(out).__name__}.")
    if len(values) != 3:
        fail(f"{where} `{name}` returned {len(values)} values; it should return three "
             "(precision, recall, f1).")
    if any(np.isnan(v) for v in values):
        fail(f"{where} `{name}` returned NaN. {ZERO_DIVISION}")
    return values


def _call(fn, name, args, where):
    try:
        with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _three_floats(name, fn(*args), where)
    except ZeroDivisionError:
        fail(f"{where} `{name}` raised ZeroDivisionError. {ZERO_DIVISION}")


def _compare(name, got, expected, where, extra=""):
    names = ("precision", "recall", "f1")
    p, r, _ = got
    ep, er, _ = expected
    if abs(ep - er) > 1e-6 and abs(p - er) < TOL and abs(r - ep) < TOL:
        fail(f"{where} your precision and recall are swapped. Precision divides TP by the "
             "PREDICTED positives (TP + FP); recall divides it by the REAL positives (TP + FN).")
    if extra:
        fail(f"{where} {extra}")
    for label, g, e in zip(names, got, expected, strict=True):
        if abs(g - e) > TOL:
            fail(f"{where} the {label} returned by `{name}` is off by {abs(g - e):.3g}.")


def _binary_cases(rng):
    cases = [(np.array([1, 1, 1, 1, 0, 0, 0, 0, 0, 0]), np.array([1, 1, 0, 0, 1, 0, 0, 0, 0, 0]))]
    for n, rate in ((200, 0.2), (300, 0.05)):
        y = (rng.random(n) < rate).astype(int)
        cases.append((y, np.where(rng.random(n) < 0.25, 1 - y, y)))
    y = (rng.random(50) < 0.3).astype(int)
    cases.append((y, np.zeros(50, dtype=int)))                 # nothing predicted positive
    cases.append((np.zeros(40, dtype=int), (rng.random(40) < 0.2).astype(int)))  # no positives
    y = rng.random(80) < 0.5
    cases.append((y, np.where(rng.random(80) < 0.3, ~y, y)))    # booleans
    return cases


def _macro_cases(rng):
    cases = [(np.array([0, 0, 0, 1, 1, 2, 2, 2, 2, 2]), np.array([0, 1, 2, 1, 1, 2, 2, 0, 2, 2]), 3)]
    y = rng.choice(10, size=500, p=np.linspace(1, 4, 10) / np.linspace(1, 4, 10).sum())
    flip = rng.random(500) < np.linspace(0.05, 0.6, 10)[y]
    cases.append((y, np.where(flip, rng.integers(0, 10, size=500), y), 10))
    y = rng.integers(0, 4, size=120)
    cases.append((y, np.where(y == 3, rng.integers(0, 3, size=120), y), 4))  # 3 never predicted
    return cases


def _uses_sklearn_metrics(learner):
    try:
        tree = ast.parse(inspect.getsource(learner))
    except (OSError, TypeError, SyntaxError):
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and (
                node.module.startswith("sklearn.metrics")
                or (node.module == "sklearn" and any(a.name == "metrics" for a in node.names))):
            return True
        if isinstance(node, ast.Import) and any(a.name.startswith("sklearn.metrics")
                                                 for a in node.names):
            return True
    return False


def check(learner, ctx):
    binary = require_function(learner, "precision_recall_f1")
    macro = require_function(learner, "macro_scores")
    expect_true(not _uses_sklearn_metrics(learner),
                "Your file imports sklearn.metrics: the point is to write the scores yourself. "
                "Count TP, FP and FN with NumPy instead (the check compares with sklearn).")
    rng = ctx.rng(11)
    for number, (y_true, y_pred) in enumerate(_binary_cases(rng), start=1):
        where = f"On binary test input #{number} (y_true, y_pred: {describe(y_true)})"
        got = _call(binary, "precision_recall_f1", (y_true.copy(), y_pred.copy()), where)
        _compare("precision_recall_f1", got, _sk(y_true, y_pred, average="binary"), where)

    for number, (y_true, y_pred, n) in enumerate(_macro_cases(rng), start=1):
        where = f"On multiclass test input #{number} (y_true, y_pred: {describe(y_true)}, n_classes={n})"
        got = _call(macro, "macro_scores", (y_true.copy(), y_pred.copy(), n), where)
        expected = _sk(y_true, y_pred, average="macro", labels=list(range(n)))
        micro = _sk(y_true, y_pred, average="micro", labels=list(range(n)))
        extra = ""
        if (max(abs(g - m) for g, m in zip(got, micro, strict=True)) < TOL
                and abs(micro[2] - expected[2]) > 1e-6):
            extra = ("all three scores equal the accuracy: you pooled the counts of every class "
                     "(a micro average). A macro average computes the score of each class on "
                     "its own, then averages those scores with equal weight.")
        elif (abs(got[0] - expected[0]) < TOL and abs(got[1] - expected[1]) < TOL
              and abs(got[2] - expected[2]) > TOL):
            p, r = got[0], got[1]
            if p + r > 0 and abs(got[2] - 2 * p * r / (p + r)) < TOL:
                extra = ("your precision and recall are right, but the F1 is the harmonic mean "
                         "of the two averages. Macro F1 is the average of the per-class F1 "
                         "scores, which is not the same number.")
        _compare("macro_scores", got, expected, where, extra)
