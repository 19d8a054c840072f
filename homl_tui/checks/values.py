"""Checks on values: type, shape, dtype, finiteness, closeness.

Arrays may be NumPy arrays, torch tensors (moved to CPU) or nested lists.

The learner's values are compared as plain data, never through their own methods: an
object whose ``__eq__`` always says yes, a ``float`` subclass that claims another value, an
array subclass with a made-up ``shape`` or a class that pretends to be another (``__class__``)
is judged by what it really holds. Values of classes defined by installed libraries (NumPy,
torch, pandas, scikit-learn, the standard library) are trusted; classes defined in the code
under check are not.
"""

from __future__ import annotations

import functools
import itertools
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from homl_tui.checks.errors import fail

_OPAQUE = object()  # what :func:`plain` gives for a value it cannot turn into plain data
_SCALARS = frozenset({bool, int, float, complex, str, bytes, type(None)})
_MAX_DEPTH = 32


@functools.lru_cache(maxsize=1)
def _trusted_roots() -> tuple[str, ...]:
    """Folders of trusted code: Python's library, installed packages, homl-tui itself."""
    import sysconfig

    paths = sysconfig.get_paths()
    folders = {*(paths.get(k, "") for k in ("stdlib", "platstdlib", "purelib", "platlib")),
               str(Path(__file__).resolve().parents[1])}
    return tuple(os.path.join(str(Path(p).resolve()), "") for p in folders if p)


@functools.lru_cache(maxsize=4096)
def trusted_path(filename: str) -> bool:
    """True for a file of Python, of an installed library or of homl-tui."""
    return str(Path(filename).resolve()).startswith(_trusted_roots())


def trusted_module(name: str) -> bool:
    """True for a module of Python, of an installed library or of homl-tui; False for the code
    under check, a reference solution, a check, or a name that is not a loaded module."""
    module = sys.modules.get(name)
    if module is None:
        return False
    filename = getattr(module, "__file__", None)
    if filename is None:  # builtins, sys and other modules compiled into Python
        return (module.__name__ in sys.builtin_module_names
                or getattr(getattr(module, "__spec__", None), "origin", None) == "frozen")
    return trusted_path(filename)


def trusted_class(cls: type) -> bool:
    """True when ``cls`` comes from Python, an installed library or homl-tui (not from the code
    under check), so its methods can be believed."""
    name = getattr(cls, "__module__", None)
    return isinstance(name, str) and trusted_module(name)


def is_tensor(value: Any) -> bool:
    """True for a real torch tensor (an object that only looks like one is not)."""
    torch = sys.modules.get("torch")
    return torch is not None and issubclass(type(value), torch.Tensor)


def _tensor_array(value: Any) -> np.ndarray:
    value = value.detach().cpu()
    if str(getattr(value, "dtype", "")) == "torch.bfloat16":
        value = value.float()
    return np.asarray(value.numpy())


def as_array(value: Any) -> np.ndarray:
    """``value`` as a plain NumPy array of the data it holds (tensors are detached and moved to
    the CPU; array subclasses become plain arrays; a ``float`` subclass gives the number it
    holds, whatever its ``__float__`` says)."""
    if is_tensor(value):
        return _tensor_array(value)
    if type(value) is np.ndarray or (isinstance(value, np.generic) and trusted_class(type(value))):
        return np.asarray(value)
    data = plain(value)
    return np.asarray(value if data is _OPAQUE else data)


def as_number(value: Any) -> float:
    """``value`` as a plain ``float``: a number, a NumPy scalar, a one-element array or tensor.

    A ``float`` or ``int`` subclass gives the number it holds, whatever its ``__float__`` says.
    """
    kind = type(value)  # the real class: `__class__` can pretend
    if issubclass(kind, float):  # NumPy's float64 too
        return float.__float__(value)
    if issubclass(kind, int):
        return float(int.__int__(value))
    if is_tensor(value) or isinstance(value, (np.ndarray, np.generic)):
        array = as_array(value)
        if array.size == 1 and array.dtype.kind in "biuf":
            return float(array.reshape(-1)[0])
    return float(value)


def plain(value: Any, _depth: int = 0) -> Any:
    """``value`` as plain data: exact ``bool``/``int``/``float``/``str``/... values, lists,
    tuples, dicts, sets and plain NumPy arrays. Values of trusted classes (a ``datetime``,
    a fitted scikit-learn model) are kept as they are; a value of a class defined in the code
    under check gives ``_OPAQUE`` (it cannot be compared without running its own code)."""
    kind = type(value)  # the real class, tested with issubclass: `__class__` can pretend
    if kind in _SCALARS:
        return value
    if _depth > _MAX_DEPTH:
        return _OPAQUE
    if issubclass(kind, np.generic) and trusted_class(kind):
        return value.item()
    for base in (int, float, complex, str):  # a subclass: the value it holds, not its methods
        if issubclass(kind, base) and not trusted_class(kind):
            return getattr(base, f"__{base.__name__}__")(value)
    if issubclass(kind, bytes):
        return bytes.__add__(b"", value)
    for sequence, unordered in ((list, tuple), (set, frozenset)):
        if issubclass(kind, (sequence, unordered)):
            base = sequence if issubclass(kind, sequence) else unordered
            if kind in (list, tuple) and all(type(item) in _SCALARS for item in value):
                return value  # the common case, fast: a list of plain numbers
            items = _plain_items(base.__iter__(value), _depth)
            return _OPAQUE if items is None else base(items)
    if issubclass(kind, dict):
        flat = _plain_items(itertools.chain.from_iterable(dict.items(value)), _depth)
        return _OPAQUE if flat is None else dict(zip(flat[0::2], flat[1::2], strict=True))
    if is_tensor(value):
        return _plain_array(_tensor_array(value), _depth)
    if issubclass(kind, np.ndarray) or (trusted_class(kind) and hasattr(value, "__array__")):
        return _plain_array(np.asarray(value), _depth)  # an array subclass: its raw data
    if trusted_class(kind):
        return value
    return _OPAQUE


def _plain_items(items: Iterable[Any], depth: int) -> list[Any] | None:
    """The items as plain data; None if any of them is opaque."""
    out = [plain(item, depth + 1) for item in items]
    return None if any(item is _OPAQUE for item in out) else out


def _plain_array(array: np.ndarray, depth: int) -> Any:
    if array.dtype != object:
        return array
    items = _plain_items(array.reshape(-1).tolist(), depth)
    if items is None:
        return _OPAQUE
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out.reshape(array.shape)


def _same(actual: Any, expected: Any) -> bool:
    """Equality of two plain values (see :func:`plain`), arrays compared element by element."""
    if isinstance(actual, np.ndarray) or isinstance(expected, np.ndarray):
        try:
            a, e = np.asarray(actual), np.asarray(expected)
        except (ValueError, TypeError):
            return False
        return a.shape == e.shape and bool(np.array_equal(a, e))
    if isinstance(actual, (list, tuple)) and isinstance(expected, (list, tuple)):
        return (type(actual) is type(expected) and len(actual) == len(expected)
                and all(_same(a, e) for a, e in zip(actual, expected, strict=True)))
    if isinstance(actual, dict) and isinstance(expected, dict):
        return actual.keys() == expected.keys() and all(
            _same(actual[k], expected[k]) for k in actual)
    try:
        result = actual == expected
    except Exception:  # noqa: BLE001 - values that cannot be compared are not equal
        return False
    if type(result) in (bool, np.bool_):
        return bool(result)
    return bool(np.all(result)) if isinstance(result, np.ndarray) else False


def safe_repr(value: Any, limit: int = 200) -> str:
    """``repr(value)`` for a message: short, and never an exception."""
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - the learner's __repr__ may raise
        return f"a {type(value).__name__}"
    return text if len(text) <= limit else f"{text[:limit]}..."


def _shape(shape: Any) -> tuple[int, ...]:
    return tuple(int(s) for s in shape)


def _attribute(value: Any, name: str) -> Any:
    """``value.shape``/``value.dtype`` when ``value``'s class can be trusted to tell the truth;
    otherwise the attribute of the plain array it holds."""
    if trusted_class(type(value)) or is_tensor(value):
        found = getattr(value, name, None)
        if found is not None:
            return found
    return getattr(as_array(value), name)


def expect_true(condition: Any, message: str) -> None:
    """FAIL with ``message`` unless ``condition`` is true.

    A condition of a class defined in the code under check (whose ``__bool__`` could say
    anything) is not true.
    """
    data = plain(condition)
    if data is _OPAQUE or not bool(data):
        fail(message)


def expect_type(name: str, value: Any, kinds: type | tuple[type, ...], what: str = "") -> None:
    """FAIL unless ``value`` is an instance of ``kinds`` (by its real class)."""
    if not issubclass(type(value), kinds):
        wanted = what or (kinds.__name__ if isinstance(kinds, type) else
                          " or ".join(k.__name__ for k in kinds))
        fail(f"`{name}` is a {type(value).__name__}; it should be a {wanted}.")


def expect_shape(name: str, value: Any, shape: tuple[int, ...]) -> None:
    """FAIL unless ``value`` has exactly ``shape``; the message names the wrong axes."""
    actual = _shape(_attribute(value, "shape"))
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
    dtype = str(_attribute(value, "dtype")).replace("torch.", "")
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
    """FAIL unless ``actual == expected`` (exact: ints, strings, tuples). Shows ``actual`` only.

    Both are compared as plain data (see :func:`plain`): a value of a class defined in the
    code under check is equal to nothing, whatever its ``__eq__`` says.
    """
    got, want = plain(actual), plain(expected)
    if got is _OPAQUE or want is _OPAQUE:
        same = (got is want and type(actual) is type(expected)
                and _same(expected, actual))
    else:
        same = _same(got, want)
    if not same:
        fail(f"`{name}` is {safe_repr(actual)}, which is not right." + (f" {hint}" if hint else ""))


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
