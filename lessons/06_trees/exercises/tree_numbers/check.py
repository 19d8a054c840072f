"""Check balanced_depth, max_leaf_count and training_hours against their formulas.

Cases: the classic ones (1e6 samples; 1 hour on 1M -> 10M), exact powers of two (where a
floor and a ceiling agree, and one more sample needs one more level), and seeded random sizes.
Depths and leaf counts are whole numbers and must match exactly; hours within rtol 1e-9.
"""

import math

from homl_tui.checks import expect_close, fail, require_function


def _depth(m, k):
    return max(0, math.ceil(math.log2(math.ceil(m / k))))


def _as_int(name, value, where):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "item"):
        value = value.item()
    if not isinstance(value, int) or isinstance(value, bool):
        fail(f"`{name}` returned {value!r} for {where}; a depth or a number of leaves is a "
             "whole number: return an int (round up with math.ceil).")
    return value


def _check_depth(balanced_depth, rng):
    cases = [(1_000_000, 1), (1024, 1), (1025, 1), (2, 1), (1, 1), (7, 1), (1000, 1),
             (1_000_000, 50), (4096, 16), (4097, 16), (100, 100), (101, 100)]
    cases += [(int(rng.integers(3, 10 ** int(rng.integers(2, 10)))), 1) for _ in range(6)]
    cases += [(int(rng.integers(1000, 10 ** 7)), int(rng.integers(2, 200))) for _ in range(6)]
    for m, k in cases:
        where = f"m={m}" + (f", samples_per_leaf={k}" if k != 1 else "")
        got = _as_int("balanced_depth", balanced_depth(m) if k == 1 else balanced_depth(m, k),
                      where)
        want = _depth(m, k)
        if got == want:
            continue
        leaves = math.ceil(m / k)
        if leaves > 1 and got == math.ceil(math.log10(leaves)):
            fail(f"balanced_depth is wrong for {where}: it looks like log base 10. Each level "
                 "of a binary tree doubles the number of leaves, so the base is 2.")
        if got == want - 1 and got == math.floor(math.log2(leaves)):
            fail(f"balanced_depth is one level short for {where}: rounding log2 down leaves "
                 "room for fewer leaves than needed. A depth must be enough for every leaf: "
                 "round up.")
        if k != 1 and got == _depth(m, 1):
            fail(f"balanced_depth ignores samples_per_leaf ({where}): with several samples "
                 "per leaf you need fewer leaves, ceil(m / samples_per_leaf).")
        fail(f"balanced_depth is {got} for {where}, which is not right: the smallest d with "
             "2**d >= the number of leaves needed.")


def _check_leaves(max_leaf_count, rng):
    cases = [(3, 1000), (30, 1000), (10, 1024), (0, 50), (20, 5000)]
    cases += [(int(rng.integers(1, 40)), int(rng.integers(2, 10 ** 6))) for _ in range(8)]
    for d, m in cases:
        where = f"max_depth={d}, m={m}"
        got = _as_int("max_leaf_count", max_leaf_count(d, m), where)
        want = min(2 ** d, m)
        if got == want:
            continue
        if got == 2 ** d:
            fail(f"max_leaf_count is wrong for {where}: every leaf holds at least one "
                 "training sample, so a tree never has more leaves than samples.")
        fail(f"max_leaf_count is {got} for {where}, which is not right: a depth of d allows "
             "2**d leaves at most.")


def _check_hours(training_hours, rng):
    cases = [(1.0, 1_000_000, 10_000_000), (2.5, 1000, 8000), (0.5, 50_000, 50_000)]
    cases += [(float(rng.uniform(0.1, 10)), int(rng.integers(100, 10 ** 6)),
               int(rng.integers(100, 10 ** 7))) for _ in range(6)]
    for hours, m_old, m_new in cases:
        where = f"{hours:g} hour(s) on m={m_old} -> m={m_new}"
        got = training_hours(hours, m_old, m_new)
        want = hours * m_new * math.log2(m_new) / (m_old * math.log2(m_old))
        try:
            got = float(got)
        except (TypeError, ValueError):
            fail(f"`training_hours` returned a {type(got).__name__} for {where}; return a "
                 "number of hours.")
        if math.isclose(got, want, rel_tol=1e-9):
            continue
        if m_old != m_new and math.isclose(got, hours * m_new / m_old, rel_tol=1e-9):
            fail(f"training_hours is wrong for {where}: it scales with m alone. The cost is "
                 "m log2(m), so the log factor grows too (a little) when m grows.")
        expect_close(f"training_hours for {where}", got, want, rtol=1e-9)


def check(learner, ctx):
    balanced_depth = require_function(learner, "balanced_depth")
    max_leaf_count = require_function(learner, "max_leaf_count")
    training_hours = require_function(learner, "training_hours")
    rng = ctx.rng(5)
    _check_depth(balanced_depth, rng)
    _check_leaves(max_leaf_count, rng)
    _check_hours(training_hours, rng)
