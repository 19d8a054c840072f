"""Check broadcast_shape against NumPy's own rule on fixed and seeded random shapes.

The fixed cases come first and each isolates one rule, so the first failure says which
rule is broken: right alignment, the stretch of size-1 axes, or raising on a mismatch.
"""

from homl_tui.checks import fail, require_function


def _numpy_rule(shapes):
    import numpy as np

    try:
        return np.broadcast_shapes(*shapes)
    except ValueError:
        return None


def _left_aligned(shapes):
    """What a solution that pads on the right (aligns from the left) would return."""
    ndim = max((len(s) for s in shapes), default=0)
    padded = [tuple(s) + (1,) * (ndim - len(s)) for s in shapes]
    out = []
    for sizes in zip(*padded, strict=True):
        big = {n for n in sizes if n != 1}
        if len(big) > 1:
            return None
        out.append(big.pop() if big else 1)
    return tuple(out)


def _no_stretch(shapes):
    """What a solution where explicit 1s do not stretch would return."""
    ndim = max((len(s) for s in shapes), default=0)
    out = []
    for axis in range(ndim):
        real = [s[len(s) - ndim + axis] for s in shapes if len(s) - ndim + axis >= 0]
        if len(set(real)) > 1:
            return None
        out.append(real[0])
    return tuple(out)


def _call(fn, shapes):
    """('ok', result) or ('raised', exception) for ValueError; other errors propagate."""
    try:
        return "ok", fn(*[tuple(s) for s in shapes])
    except ValueError as exc:
        return "raised", exc


def _show(shapes):
    return "broadcast_shape(" + ", ".join(str(tuple(s)) for s in shapes) + ")"


ALIGN = ("Broadcasting lines shapes up on the RIGHT (trailing axes first), padding the shorter "
         "ones with 1s on the left; it looks like you aligned them from the left.")
STRETCH = ("An axis of size 1 stretches to match any size on that axis; it looks like your "
           "code demands equal sizes instead.")


def _judge(fn, shapes):
    expected = _numpy_rule(shapes)
    status, got = _call(fn, shapes)
    call = _show(shapes)
    if expected is None:
        if status == "raised":
            return
        if _left_aligned(shapes) == got:
            fail(f"{call} returned {got!r}, but these shapes cannot be broadcast. {ALIGN}")
        fail(f"{call} returned {got!r}, but these shapes cannot be broadcast together: on one "
             "axis two sizes differ and neither is 1. In that case raise ValueError "
             "(taking the largest size on each axis is not enough: check the others are 1).")
    if status == "raised":
        left_ok = _left_aligned(shapes) is not None
        stretch_ok = _no_stretch(shapes) is not None
        if not left_ok and stretch_ok:
            fail(f"{call} raised ValueError ({got}), but these shapes are compatible. {ALIGN}")
        if left_ok and not stretch_ok:
            fail(f"{call} raised ValueError ({got}), but these shapes are compatible. {STRETCH}")
        fail(f"{call} raised ValueError ({got}), but these shapes are compatible. Check both "
             "rules: shapes line up on the right (not from the left), and a size-1 axis "
             "stretches to match.")
    if isinstance(got, list):
        fail(f"{call} returned a list {got!r}; return a tuple, like array.shape is.")
    if not isinstance(got, tuple):
        fail(f"{call} returned a {type(got).__name__} ({got!r}); it should return a tuple "
             "of ints.")
    try:
        as_ints = tuple(int(n) for n in got)
    except (TypeError, ValueError):
        fail(f"{call} returned {got!r}; every entry should be an int.")
    if as_ints == tuple(expected):
        return
    if len(got) != len(expected):
        fail(f"{call} returned {got!r}, which has {len(got)} axes: the result has as many "
             "axes as the longest input shape.")
    if _left_aligned(shapes) == as_ints:
        fail(f"{call} returned {got!r}, which is not right. {ALIGN}")
    wrong = [i for i, (a, b) in enumerate(zip(as_ints, expected, strict=True)) if a != b]
    fail(f"{call} returned {got!r}: the size of axis {', '.join(map(str, wrong))} is not "
         "right. On each axis the result takes the size that is not 1 (or 1 if all are 1).")


# Fixed cases, in this order on purpose: each one isolates one rule.
FIXED = [
    [(3, 4), (3, 4)],            # nothing to broadcast
    [(3, 1), (3, 4)],            # explicit 1 stretches (same length: alignment does not matter)
    [(1, 4), (3, 1)],            # both stretch
    [(4,), (3, 4)],              # padding on the left
    [(8, 1, 6, 1), (7, 1, 5)],   # the classic example
    [(), (2, 3)],                # a scalar broadcasts with anything
    [(2, 1), (1, 3), (3,)],      # three shapes
    [(5,)],                      # a single shape is its own broadcast
    [(2, 3), (4, 3)],            # mismatch, neither is 1
    [(5, 3), (5,)],              # mismatch after right alignment (fine if aligned left)
    [(2, 1), (8, 4, 3)],         # mismatch on the last axis
]


def _random_cases(rng, count):
    cases = []
    for _ in range(count):
        ndim = int(rng.integers(0, 5))
        base = [int(rng.integers(2, 6)) for _ in range(ndim)]
        shapes = []
        for _ in range(int(rng.integers(2, 4))):
            keep = int(rng.integers(0, ndim + 1))
            shape = base[ndim - keep:]
            shape = [1 if rng.random() < 0.3 else n for n in shape]
            if shape and rng.random() < 0.15:
                axis = int(rng.integers(0, len(shape)))
                shape[axis] = shape[axis] + int(rng.integers(1, 3))
            shapes.append(tuple(shape))
        cases.append(shapes)
    return cases


def _forbid_shortcuts(fn):
    import inspect

    try:
        source = inspect.getsource(fn)
    except (OSError, TypeError):
        return
    for name in ("broadcast_shapes", "broadcast_to", "broadcast_arrays", "np.broadcast(",
                 "np.empty", "np.zeros", "np.ones"):
        if name in source:
            fail(f"Your broadcast_shape uses `{name.rstrip('(')}`: the point is to apply the "
                 "rules by hand, on the shape tuples only.")


def check(learner, ctx):
    fn = require_function(learner, "broadcast_shape")
    _forbid_shortcuts(fn)
    for shapes in FIXED:
        _judge(fn, shapes)
    for shapes in _random_cases(ctx.rng(1), 300):
        _judge(fn, shapes)
