"""Check conv_output_size and pool_output_size on every small combination of their arguments.

The reference formulas were verified against the shapes PyTorch itself returns: F.conv1d on
2,408 combinations (n 1-16, kernel 1-5, stride 1-4, padding 0-2, dilation 1-3) and
F.max_pool1d on 1,630 (n 1-16, kernel 1-5, stride None/1-4, padding up to kernel // 2,
ceil_mode off and on): no difference. The check compares with the formula (fast, exact) and,
when something is wrong, looks at WHICH combinations fail to name the mistake.
"""

import math
from itertools import product

from homl_tui.checks import fail, require_function


def _conv(n, k, s, p, d):
    return (n + 2 * p - d * (k - 1) - 1) // s + 1


def _pool(n, k, s, p, ceil_mode):
    s = k if s is None else s
    if not ceil_mode:
        return _conv(n, k, s, p, 1)
    out = math.ceil((n + 2 * p - k) / s) + 1
    if (out - 1) * s >= n + p:
        out -= 1
    return out


def _as_int(name, value, args):
    if isinstance(value, bool) or value is None:
        fail(f"{name}({args}) returned {value!r}; it should return a whole number (an int).")
    if isinstance(value, float):
        fail(f"{name}({args}) returned the float {value!r}. A number of positions is a whole "
             "number: round down with integer division (//) rather than dividing with /.")
    try:
        return int(value) if int(value) == value else fail(
            f"{name}({args}) returned {value!r}, which is not a whole number.")
    except (TypeError, ValueError):
        fail(f"{name}({args}) returned a {type(value).__name__}; it should return an int.")


def _conv_cases():
    for n, k, s, p, d in product(range(1, 17), range(1, 6), range(1, 5), range(3), range(1, 4)):
        if d * (k - 1) + 1 <= n + 2 * p:
            yield n, k, s, p, d


def _check_conv(fn):
    wrong = []
    for n, k, s, p, d in _conv_cases():
        args = f"n={n}, kernel_size={k}, stride={s}, padding={p}, dilation={d}"
        got = _as_int("conv_output_size", fn(n, k, stride=s, padding=p, dilation=d), args)
        want = _conv(n, k, s, p, d)
        if got != want:
            wrong.append((n, k, s, p, d, got, want))
    if not wrong:
        return
    total = sum(1 for _ in _conv_cases())
    n, k, s, p, d, got, _ = next((w for w in wrong if w[0] >= 7), wrong[0])
    example = (f"For example conv_output_size({n}, {k}, stride={s}, padding={p}, "
               f"dilation={d}) returned {got}.")
    if all(g == w - 1 for *_, g, w in wrong) and len(wrong) == total:
        fail("conv_output_size is one too small for every input: the formula counts the steps "
             "the window takes, but the window's first position (before any step) is an output "
             f"too. {example}")
    if all(g == w + 1 for *_, g, w in wrong):
        exact = [(n + 2 * p - d * (k - 1) - 1) % s == 0 for n, k, s, p, d, *_ in wrong]
        if not any(exact):
            fail("conv_output_size rounds up when the stride does not divide the distance "
                 "exactly: a last, partial window would stick out past the (padded) input, "
                 f"so it does not count. Round down. {example}")
    if all(d > 1 for _, _, _, _, d, *_ in wrong):
        fail("conv_output_size is right without dilation but wrong with dilation > 1: a "
             "dilated kernel of kernel_size taps spans more input positions, since there are "
             f"dilation - 1 skipped inputs between neighbouring taps. {example}")
    if all(p > 0 for _, _, _, p, *_ in wrong):
        fail("conv_output_size is right without padding but wrong with padding: `padding` "
             f"zeros are added on each side of the input, not just one. {example}")
    if all(s > 1 for _, _, s, *_ in wrong):
        fail("conv_output_size is right with stride 1 but wrong for larger strides: divide "
             "the room the window has to move by the stride, and round down. "
             f"{example}")
    fail(f"conv_output_size is wrong on {len(wrong)} of {total} combinations of its "
         f"arguments. {example}")


def _pool_cases():
    for n, k, s, c in product(range(1, 17), range(1, 6), (None, 1, 2, 3, 4), (False, True)):
        for p in range(k // 2 + 1):
            if k <= n + 2 * p:
                yield n, k, s, p, c


def _check_pool(fn):
    wrong = []
    for n, k, s, p, c in _pool_cases():
        args = f"n={n}, kernel_size={k}, stride={s}, padding={p}, ceil_mode={c}"
        if s is None:
            value = fn(n, k, padding=p, ceil_mode=c)
        else:
            value = fn(n, k, stride=s, padding=p, ceil_mode=c)
        got = _as_int("pool_output_size", value, args)
        want = _pool(n, k, s, p, c)
        if got != want:
            wrong.append((n, k, s, p, c, got, want))
    if not wrong:
        return
    n, k, s, p, c, got, _ = next((w for w in wrong if w[0] >= 7), wrong[0])
    stride = "" if s is None else f", stride={s}"
    example = (f"For example pool_output_size({n}, {k}{stride}, padding={p}, "
               f"ceil_mode={c}) returned {got}.")
    if all(s is None for _, _, s, *_ in wrong):
        fail("pool_output_size is wrong only when no stride is given. For pooling layers "
             "PyTorch's default stride is not 1: by default the windows do not overlap. "
             f"{example}")
    if all(c for *_, c, _, _ in wrong):
        no_ceil = [g == _pool(n, k, s, p, False) for n, k, s, p, _, g, _ in wrong]
        if all(no_ceil):
            fail("pool_output_size ignores ceil_mode: with ceil_mode=True a last, partial "
                 f"window counts as well. {example}")
        if all(g == w + 1 for *_, g, w in wrong):
            fail("pool_output_size keeps one window too many in ceil mode: a partial last "
                 "window only counts if it starts inside the input or its left padding, "
                 "not in the right padding or beyond. Check where the last window starts "
                 f"and drop it when it starts too far. {example}")
        fail(f"pool_output_size is right with ceil_mode=False but wrong with ceil_mode=True. "
             f"{example}")
    fail(f"pool_output_size is wrong on {len(wrong)} combinations of its arguments. {example}")


def check(learner, ctx):
    conv = require_function(learner, "conv_output_size")
    pool = require_function(learner, "pool_output_size")
    _check_conv(conv)
    _check_pool(pool)
