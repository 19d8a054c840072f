"""Check threshold_for_precision and tune_and_test on seeded random scores.

Scores are Gaussian, shifted up for the positives (so precision rises with the threshold, with
noise), and the top score always belongs to a positive, so some threshold always reaches the
target. The check sweeps every distinct score itself (predict positive when score >= t) and
accepts any threshold that reaches the target precision with the best recall; it does not
care whether the learner used precision_recall_curve or a sweep. The last case has tied
scores. For tune_and_test, validation and test sets are drawn separately, so the threshold
that the test set would pick is (usually) not the validation one.
"""

import math

import numpy as np

from homl_tui.checks import describe, fail, require_function

TOL = 1e-12


def _at(y, s, t, strict=False):
    predicted = s > t if strict else s >= t
    tp = np.sum(y & predicted)
    precision = tp / predicted.sum() if predicted.any() else 0.0
    recall = tp / y.sum() if y.any() else 0.0
    return float(precision), float(recall)


def _best_recall(y, s, target):
    recalls = [r for p, r in (_at(y, s, t) for t in np.unique(s)) if p >= target - TOL]
    return max(recalls)


def _lowest(y, s, target, strict=False):
    for t in np.unique(s):
        if _at(y, s, t, strict)[0] >= target - TOL:
            return float(t)
    return math.nan


def _scores(rng, n, rate, sep, decimals=None):
    y = rng.random(n) < rate
    s = rng.normal(size=n) + sep * y
    s[np.flatnonzero(y)[0]] = s.max() + 1.0           # the top score is a positive
    if decimals is not None:
        s = np.round(s, decimals)
    return y, s


def _as_threshold(name, value, where):
    if value is None:
        fail(f"{where} `{name}` returned None: did you forget to `return` the threshold?")
    try:
        t = float(value)
    except (TypeError, ValueError):
        fail(f"{where} `{name}` should return one number (a threshold); it returned a "
             f"{type(value).__name__}.")
    if not math.isfinite(t):
        fail(f"{where} `{name}` returned {t}; a threshold must be a finite number.")
    return t


def _verify(y, s, target, t, where, name):
    """FAIL unless threshold t reaches the target precision with the best recall."""
    precision, recall = _at(y, s, t)
    if precision < target - TOL:
        if t == _lowest(y, s, target, strict=True):
            fail(f"{where} at the threshold from `{name}`, counting every sample with score "
                 f">= threshold as positive, the precision is {precision:.3f}, below the target "
                 f"{target}. Your threshold would reach it with `score > threshold`: the sample "
                 "exactly at the threshold is predicted positive too, so compare with `>=` when "
                 "you evaluate candidates.")
        fail(f"{where} at the threshold from `{name}` the precision is {precision:.3f}, below "
             f"the target {target} (a sample is positive when its score is >= the threshold). "
             "Keep only thresholds whose precision reaches the target.")
    if recall < _best_recall(y, s, target) - TOL:
        fail(f"{where} the threshold from `{name}` reaches the target precision, but a lower "
             "threshold also does and finds more of the positives (higher recall). Precision "
             "does not fall steadily as the threshold goes down: it can dip below the target "
             "and come back above it. Check every threshold and keep the lowest one that "
             "qualifies, rather than stopping at the first dip.")


def _check_threshold(fn, ctx):
    rng = ctx.rng(5)
    cases = [(*_scores(rng, 300, 0.3, 1.5), 0.9), (*_scores(rng, 500, 0.1, 2.0), 0.9),
             (*_scores(rng, 1000, 0.4, 1.0), 0.8), (*_scores(rng, 200, 0.5, 2.5), 0.95),
             (*_scores(rng, 400, 0.3, 1.5, decimals=1), 0.9)]
    for number, (y, s, target) in enumerate(cases, start=1):
        where = f"On test input #{number} (scores: {describe(s)}, min_precision={target})"
        t = _as_threshold("threshold_for_precision", fn(y.copy(), s.copy(), target), where)
        _verify(y, s, target, t, where, "threshold_for_precision")


def _check_tune(fn, ctx):
    rng = ctx.rng(6)
    for number in range(1, 4):
        target = (0.9, 0.85, 0.9)[number - 1]
        y_val, s_val = _scores(rng, 300, 0.3, 1.4)
        y_test, s_test = _scores(rng, 300, 0.3, 1.4)
        where = f"On test input #{number} (validation and test scores: {describe(s_val)})"
        out = fn(y_val.copy(), s_val.copy(), y_test.copy(), s_test.copy(), target)
        if not isinstance(out, (tuple, list)) or len(out) != 3:
            fail(f"{where} `tune_and_test` should return (threshold, test_precision, "
                 f"test_recall); it returned a {type(out).__name__}.")
        t = _as_threshold("tune_and_test", out[0], where)
        val_ok = (_at(y_val, s_val, t)[0] >= target - TOL
                  and _at(y_val, s_val, t)[1] >= _best_recall(y_val, s_val, target) - TOL)
        test_p, test_r = _at(y_test, s_test, t)
        if not val_ok and (test_p >= target - TOL
                           and test_r >= _best_recall(y_test, s_test, target) - TOL):
            fail(f"{where} your threshold is the one the TEST set would choose, not the "
                 "validation set. Choosing it on the test set makes the test score a "
                 "measurement of the tuning, not of new data: pick it with y_val and "
                 "scores_val only, then measure it once on the test set.")
        _verify(y_val, s_val, target, t, where + " on the validation set", "tune_and_test")
        try:
            p, r = float(out[1]), float(out[2])
        except (TypeError, ValueError):
            fail(f"{where} the test precision and recall returned by `tune_and_test` should "
                 "be numbers.")
        if abs(p - test_p) > 1e-9 or abs(r - test_r) > 1e-9:
            val_p, val_r = _at(y_val, s_val, t)
            if abs(p - val_p) < 1e-9 and abs(r - val_r) < 1e-9:
                fail(f"{where} you returned the precision and recall on the validation set. "
                     "Return the ones your threshold gets on the TEST set: that is the honest "
                     "estimate for new data.")
            fail(f"{where} the test precision or recall you returned is not what your "
                 "threshold gives on the test set (predicting positive when score >= "
                 "threshold).")


def check(learner, ctx):
    _check_threshold(require_function(learner, "threshold_for_precision"), ctx)
    _check_tune(require_function(learner, "tune_and_test"), ctx)
