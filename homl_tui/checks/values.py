"""Checks on values: type, shape, dtype, finiteness, closeness.

Arrays may be NumPy arrays, torch tensors (moved to CPU) or nested lists.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from homl_tui.checks.errors import fail


def as_array(value: Any) -> np.ndarray:
    """``value`` as a NumPy array (tensors are detached and moved to the CPU)."""
    if hasattr(value, "detach") and hasattr(value, "cpu"):
        value = value.detach().cpu()
        if str(getattr(value, "dtype", "")) == "torch.bfloat16":
            value = value.float()
        value = value.numpy()
    return np.asarray(value)


def _shape(shape: Any) -> tuple[int, ...]:
    return tuple(int(s) for s in shape)


def expect_true(condition: Any, message: str) -> None:
    """FAIL with ``message`` unless ``condition`` is truthy."""
    if not bool(condition):
        fail(message)


def expect_type(name: str, value: Any, kinds: type | tuple[type, ...], what: str = "") -> None:
    """FAIL unless ``value`` is an instance of ``kinds``."""
    if not isinstance(value, kinds):
        wanted = what or (kinds.__name__ if isinstance(kinds, type) else
                          " or ".join(k.__name__ for k in kinds))
        fail(f"`{name}` is a {type(value).__name__}; it should be a {wanted}.")


def expect_shape(name: str, value: Any, shape: tuple[int, ...]) -> None:
    """FAIL unless ``value`` has exactly ``shape``; the message names the wrong axes."""
    actual = _shape(getattr(value, "shape", None) or as_array(value).shape)
    shape = _shape(shape)
    if actual == shape:
        return
    if len(actual) != len(shape):
        fail(f"`{name}` has {len(actual)} dimension(s), shape {actual}, but should have "
             f"{len(shape)}.")
    wrong = [i for i, (a, b) in enumerate(zip(actual, shape, strict=False)) if a != b]
    axes = ", ".join(str(i) for i in wrong)
    fail(f"`{name}` has shape {actual}: the size of axis {axes} is not right.")


def expect_dtype(name: str, value: Any, kind: str) -> None:
    """FAIL unless the dtype of ``value`` is of ``kind``: ``float``, ``int``, ``bool`` or a name."""
    dtype = str(getattr(value, "dtype", as_array(value).dtype)).replace("torch.", "")
    families = {
        "float": ("float", "bfloat", "half", "double"),
        "int": ("int", "uint", "long", "short"),
        "bool": ("bool",),
    }
    ok = dtype.startswith(families[kind]) if kind in families else dtype == kind
    if not ok:
        fail(f"`{name}` has dtype {dtype}; it should be a {kind} type.")


def expect_finite(name: str, value: Any) -> None:
    """FAIL if ``value`` contains NaN or infinity, saying how many and where the first is."""
    array = as_array(value)
    if array.dtype.kind not in "fc":
        return
    bad = ~np.isfinite(array)
    if bad.any():
        count = int(bad.sum())
        first = tuple(int(i) for i in np.argwhere(bad)[0]) if array.ndim else ()
        kinds = "NaN" if np.isnan(array).any() else "infinite"
        where = f" (first at index {first})" if first else ""
        fail(f"`{name}` contains {count} {kinds} value(s){where}. "
             "Look for overflow (exp of a large number) or a division by zero.")


def expect_equal(name: str, actual: Any, expected: Any, hint: str = "") -> None:
    """FAIL unless ``actual == expected`` (exact: ints, strings, tuples). Shows ``actual`` only."""
    same = actual == expected
    if hasattr(same, "all"):
        same = bool(np.all(same)) and np.shape(actual) == np.shape(expected)
    if not (isinstance(same, (bool, np.bool_)) and same):
        fail(f"`{name}` is {actual!r}, which is not right." + (f" {hint}" if hint else ""))


def expect_close(
    name: str,
    actual: Any,
    expected: Any,
    *,
    rtol: float = 1e-5,
    atol: float = 1e-8,
    check_shape: bool = True,
) -> None:
    """FAIL unless ``actual`` matches ``expected`` within tolerance.

    Checks the shape first, then NaN/infinity, then the largest difference, and
    says how far off the value is and where, never what it should be.
    """
    if actual is None:
        fail(f"`{name}` is None: did you forget to `return` the result?")
    if isinstance(actual, (list, tuple)) and np.ndim(as_array(expected)) == 0:
        fail(f"`{name}` is a {type(actual).__name__}; it should be a single number.")
    try:
        got = as_array(actual).astype(np.float64)
    except (TypeError, ValueError):
        fail(f"`{name}` is a {type(actual).__name__}, which is not a number or an array of numbers.")
    want = as_array(expected).astype(np.float64)
    if check_shape:
        expect_shape(name, got, want.shape)
    expect_finite(name, got)
    diff = np.abs(got - want)
    allowed = atol + rtol * np.abs(want)
    if np.all(diff <= allowed):
        return
    worst = np.unravel_index(int(np.argmax(diff - allowed)), diff.shape) if diff.ndim else ()
    off = float(diff[worst]) if diff.ndim else float(diff)
    where = f" at index {tuple(int(i) for i in worst)}" if diff.ndim else ""
    count = int(np.sum(diff > allowed)) if diff.ndim else 1
    many = f" ({count} of {diff.size} entries are off)" if diff.ndim and diff.size > 1 else ""
    fail(f"`{name}` is off by {off:.3g}{where}{many}; the check allows about "
         f"{float(allowed[worst] if diff.ndim else allowed):.1g}.")
