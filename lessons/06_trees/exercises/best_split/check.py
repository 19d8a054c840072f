"""Check split_cost against the weighted-Gini formula and best_split against a brute force.

best_split is not compared threshold-for-threshold (two thresholds can tie); instead the
check asks three questions of every answer: is the cost the lowest any threshold reaches,
is it really the cost of the split that the threshold makes (x <= t goes left), and is the
threshold halfway between two neighbouring distinct values. The cases are seeded: continuous
features, integer features with many repeated values, and cases whose best split cuts off
the first or last sample. Exact arithmetic, tolerance 1e-9; no thresholds.
"""

import math

import numpy as np

from homl_tui.checks import expect_close, fail, require_function


def _gini(y, k):
    p = np.bincount(y, minlength=k) / len(y)
    return 1.0 - np.sum(p ** 2)


def _cost(x, y, t, k):
    left = x <= t
    if left.all() or not left.any():
        return None
    m = len(y)
    return left.sum() / m * _gini(y[left], k) + (~left).sum() / m * _gini(y[~left], k)


def _check_split_cost(split_cost, rng):
    for _ in range(6):
        k = int(rng.integers(2, 5))
        y_left = rng.integers(0, k, size=int(rng.integers(1, 8)))
        y_right = rng.integers(0, k, size=int(rng.integers(12, 40)))
        where = f"a left child of {len(y_left)} and a right child of {len(y_right)} samples"
        got = split_cost(y_left.copy(), y_right.copy(), k)
        try:
            got = float(got)
        except (TypeError, ValueError):
            fail(f"`split_cost` returned a {type(got).__name__} for {where}; return one number.")
        g_l, g_r = _gini(y_left, k), _gini(y_right, k)
        m = len(y_left) + len(y_right)
        want = len(y_left) / m * g_l + len(y_right) / m * g_r
        if math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12):
            continue
        if math.isclose(got, (g_l + g_r) / 2, rel_tol=1e-9, abs_tol=1e-12):
            fail(f"For {where}, `split_cost` is the plain average of the two impurities. "
                 "A child that holds more samples must count more: weight each impurity by "
                 "the child's share of the samples, m_left / m and m_right / m.")
        if math.isclose(got, g_l + g_r, rel_tol=1e-9, abs_tol=1e-12):
            fail(f"For {where}, `split_cost` adds the two impurities unweighted: weight each "
                 "by its child's share of the samples, m_left / m and m_right / m.")
        expect_close(f"split_cost for {where}", got, want, rtol=1e-9, atol=1e-12)


def _cases(rng):
    cases = []
    for _ in range(5):  # continuous feature, labels that depend on it (plus noise)
        m, k = int(rng.integers(15, 120)), int(rng.integers(2, 5))
        x = rng.normal(size=m)
        y = np.clip((x * 1.3 + rng.normal(size=m) + k / 2).astype(int), 0, k - 1)
        cases.append((f"a continuous feature (m={m})", x, y, k))
    for _ in range(4):  # few distinct values, many repeats
        m, k = int(rng.integers(20, 80)), int(rng.integers(2, 4))
        x = rng.integers(0, 6, size=m).astype(float)
        y = np.where(rng.random(m) < 0.7, (x > 2).astype(int), rng.integers(0, k, size=m))
        cases.append((f"an integer feature with repeated values (m={m})", x, y, k))
    for side in ("last", "first"):  # the best split cuts off one sample at an end
        m = 30
        x = rng.normal(size=m)
        y = np.zeros(m, dtype=int)
        y[np.argmax(x) if side == "last" else np.argmin(x)] = 1
        cases.append((f"a node whose odd sample has the {side} x (m={m})", x, y, 2))
    return cases


def _check_best_split(best_split, cases):
    for where, x, y, k in cases:
        out = best_split(x.copy(), y.copy(), k)
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            fail(f"`best_split` should return a pair (threshold, cost); for {where} it "
                 f"returned a {type(out).__name__}.")
        t, cost = out
        if t is None:
            fail(f"`best_split` returned no threshold for {where}, which has several distinct "
                 "values: every gap between neighbouring values is a candidate.")
        t, cost = float(t), float(cost)
        values = np.unique(x)
        lowest = min(_cost(x, y, (a + b) / 2, k) for a, b in zip(values[:-1], values[1:], strict=False))
        real = _cost(x, y, t, k)
        if real is None:
            fail(f"For {where}, the threshold sends every sample to the same side: it must "
                 "lie between the smallest and the largest value of x.")
        if not math.isclose(cost, real, rel_tol=1e-9, abs_tol=1e-12):
            if np.sum(x == t) > 1:
                fail(f"For {where}, the threshold sits on a value that several samples share, "
                     "and the cost you report is not the cost of splitting there. Samples "
                     "with equal x always go to the same side: only split between distinct "
                     "values (np.unique).")
            fail(f"For {where}, the cost you report is not the cost of the split your "
                 "threshold makes (samples with x <= threshold go left, the rest right). "
                 "Check that the samples you score are the ones on each side of the "
                 "threshold: an off-by-one between the sorted position and the threshold?")
        if cost > lowest + 1e-9:
            fail(f"For {where}, the cost is {cost - lowest:.3g} above the best split's: some "
                 "other threshold does better. Try every gap between neighbouring distinct "
                 "values, the first and the last ones included.")
        below = values[values <= t]
        above = values[values > t]
        if not math.isclose(t, (below[-1] + above[0]) / 2, rel_tol=1e-12, abs_tol=1e-12):
            fail(f"For {where}, the threshold splits the data correctly but is not halfway "
                 "between the two neighbouring distinct values around it. Return the "
                 "midpoint: a new sample that falls in the gap then goes to the nearer side.")


def check(learner, ctx):
    split_cost = require_function(learner, "split_cost")
    best_split = require_function(learner, "best_split")
    rng = ctx.rng(61)
    _check_split_cost(split_cost, rng)
    _check_best_split(best_split, _cases(rng))
