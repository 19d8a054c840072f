"""Checks on functions: compare the learner's function with the reference on seeded random inputs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

from homl_tui.checks.errors import CheckFailed, fail
from homl_tui.checks.values import expect_close


def require_function(module: ModuleType, name: str) -> Callable[..., Any]:
    """The learner's function ``name``; FAIL with a clear message if it is missing."""
    fn = getattr(module, name, None)
    if fn is None:
        fail(f"Define a function named `{name}` (it was not found in your file).")
    if not callable(fn):
        fail(f"`{name}` should be a function, but it is a {type(fn).__name__}.")
    return fn


def require_class(module: ModuleType, name: str, base: type | None = None) -> type:
    """The learner's class ``name`` (optionally a subclass of ``base``, e.g. ``nn.Module``)."""
    cls = getattr(module, name, None)
    if cls is None:
        fail(f"Define a class named `{name}` (it was not found in your file).")
    if not issubclass(type(cls), type):  # its real class: `__class__` can pretend
        fail(f"`{name}` should be a class (`class {name}...:`), but it is a "
             f"{type(cls).__name__}.")
    if base is not None and not issubclass(cls, base):
        fail(f"`{name}` should subclass `{base.__module__.split('.')[0]}."
             f"{base.__qualname__}`, so that it works with the rest of the library.")
    return cls


def describe(value: Any) -> str:
    """A short, answer-free description of an input value for messages."""
    shape = getattr(value, "shape", None)
    dtype = getattr(value, "dtype", None)
    if shape is not None:
        kind = "tensor" if hasattr(value, "detach") else "array"
        return f"{str(dtype).replace('torch.', '')} {kind} of shape {tuple(shape)}"
    text = repr(value)
    return text if len(text) <= 60 else f"{type(value).__name__} of length {len(value)}"


def compare_with_reference(
    name: str,
    learner_fn: Callable[..., Any],
    reference_fn: Callable[..., Any],
    cases: Sequence[tuple[Any, ...]],
    *,
    compare: Callable[[str, Any, Any], None] | None = None,
    rtol: float = 1e-5,
    atol: float = 1e-8,
) -> None:
    """Call both functions on every case and compare the results.

    ``cases`` are argument tuples (build them from a seeded generator). The
    reference gets its own copies of array arguments, so a learner function
    that modifies its input in place cannot change what it is compared with.
    ``compare(label, actual, expected)`` defaults to :func:`expect_close`.
    On a mismatch the message names the case and its inputs, not the answer.
    """
    import copy

    from homl_tui.checks.context import quietly

    for number, args in enumerate(cases, start=1):
        expected = quietly(reference_fn, *copy.deepcopy(args))
        inputs = ", ".join(describe(a) for a in args)
        actual = learner_fn(*copy.deepcopy(args))
        label = f"{name}(...)"
        try:
            if compare is None:
                expect_close(label, actual, expected, rtol=rtol, atol=atol)
            else:
                compare(label, actual, expected)
        except CheckFailed as exc:
            raise CheckFailed(f"On test input #{number} ({inputs}): {exc.message}") from None
