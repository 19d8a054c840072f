"""Check class_counts, gini and entropy on seeded random label vectors.

The cases include a pure node, a single sample, classes that never appear (also the last
ones, which np.bincount drops without `minlength`) and a perfectly even node. Everything is
exact arithmetic, so the tolerance is tight (1e-9). No thresholds.
"""

import math

import numpy as np

from homl_tui.checks import expect_close, expect_true, fail, require_function


def _cases(rng):
    cases = [
        ("a pure node", np.array([2, 2, 2, 2, 2]), 3),
        ("a single sample", np.array([0]), 2),
        ("an even two-class node", np.array([0, 1, 1, 0, 1, 0, 0, 1]), 2),
        ("a node without the last two classes", np.array([0, 1, 1, 0, 1, 1, 1]), 4),
    ]
    for _ in range(8):
        k = int(rng.integers(2, 7))
        m = int(rng.integers(2, 60))
        present = rng.choice(k, size=int(rng.integers(1, k + 1)), replace=False)
        cases.append((f"random labels (m={m}, {k} classes)", rng.choice(present, size=m), k))
    return cases


def _number(name, value, where):
    if isinstance(value, (list, tuple)) or np.ndim(value) != 0:
        fail(f"`{name}` returned {type(value).__name__} of shape {np.shape(value)} for "
             f"{where}; it should return one number for the whole node.")
    try:
        return float(value)
    except (TypeError, ValueError):
        fail(f"`{name}` returned a {type(value).__name__} for {where}; return a float.")


def _check_counts(class_counts, cases):
    for where, y, k in cases:
        got = np.asarray(class_counts(y.copy(), k))
        want = np.bincount(y, minlength=k)
        if got.shape != want.shape:
            if got.ndim == 1 and len(got) < k:
                fail(f"For {where}, `class_counts` returned {len(got)} counts instead of "
                     f"n_classes={k}: classes that do not appear still need their count of 0 "
                     "(np.bincount stops at the largest label unless you pass minlength).")
            fail(f"For {where}, `class_counts` returned shape {got.shape}; it should be a "
                 "1-D array with one count per class.")
        expect_true(np.array_equal(got, want),
                    f"For {where}, `class_counts` gave wrong counts: count how many labels "
                    "equal 0, 1, ... n_classes - 1.")


def _check_gini(gini, cases):
    for where, y, k in cases:
        got = _number("gini", gini(y.copy(), k), where)
        counts = np.bincount(y, minlength=k)
        p = counts / len(y)
        want = 1.0 - np.sum(p ** 2)
        if math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9):
            continue
        if math.isclose(got, 1.0 - np.sum(counts ** 2), rel_tol=1e-9, abs_tol=1e-9):
            fail(f"For {where}, `gini` squared the raw counts: divide the counts by the number "
                 "of samples first, so the shares p_k add up to 1.")
        if abs(got) < 1e-9 and want > 0:
            fail(f"For {where} (a mixed node) `gini` returned 0. 1 - sum(p_k) is always 0 "
                 "because the shares add up to 1: the Gini impurity squares each share.")
        expect_close(f"gini for {where}", got, want, rtol=1e-9, atol=1e-9)


def _check_entropy(entropy, cases):
    for where, y, k in cases:
        got = _number("entropy", entropy(y.copy(), k), where)
        p = np.bincount(y, minlength=k) / len(y)
        nz = p[p > 0]
        want = float(-np.sum(nz * np.log2(nz)))
        if math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9):
            continue
        if math.isnan(got):
            fail(f"For {where}, `entropy` is NaN: a class with p_k = 0 gives 0 * log2(0) = "
                 "0 * -inf = NaN. Leave the empty classes out of the sum (their term is 0).")
        if want > 0 and math.isclose(got, want * math.log(2), rel_tol=1e-9):
            fail(f"For {where}, `entropy` is in nats, not bits: it used the natural log. "
                 "Use np.log2.")
        if want > 0 and math.isclose(got, -want, rel_tol=1e-9):
            fail(f"For {where}, `entropy` is negative: the formula has a minus sign in front "
                 "of the sum (log2 of a share is never positive).")
        expect_close(f"entropy for {where}", got, want, rtol=1e-9, atol=1e-9)


def check(learner, ctx):
    class_counts = require_function(learner, "class_counts")
    gini = require_function(learner, "gini")
    entropy = require_function(learner, "entropy")
    cases = _cases(ctx.rng(6))
    _check_counts(class_counts, cases)
    _check_gini(gini, cases)
    _check_entropy(entropy, cases)
