"""Notice code under check that changes the functions a check relies on.

A check can only believe its helpers (``expect_close``), NumPy's, torch's and Python's
functions and its own code if the learner's file left them alone. :func:`watch` records,
before that file runs, which object each function, class and module name of those modules is
bound to (with the code and defaults of each Python function); :meth:`Watch.changed` names
what the code under check replaced afterwards, and the worker turns a PASS into an ERROR.

Libraries rebind some of their own names as they go (importing ``torch._dynamo`` wraps
``torch.manual_seed``): a new binding made by installed code that wraps the recorded function
(``__wrapped__``) is not a change. Only functions, classes and modules are watched, not data:
modules rebind their own counters and caches all the time. A watched module that was not
loaded yet when the record was made (``numpy.testing`` is loaded on first use) is checked for
functions defined by the code under check instead.
"""

from __future__ import annotations

import functools
import sys
import types
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from homl_tui.checks.values import trusted_module, trusted_path

#: Modules every check relies on, watched when they are loaded.
ALWAYS = ("builtins", "math", "copy", "operator", "functools", "numpy", "numpy.testing",
          "numpy.linalg", "torch", "torch.testing", "torch.nn.functional", "homl_tui.report")
#: Builtins that code may replace for its own output without touching a check.
FREE_BUILTINS = frozenset({"print", "input", "help", "exit", "quit", "breakpoint", "open",
                           "copyright", "credits", "license", "_"})
#: Classes whose methods are watched when their library is loaded.
CLASSES = (("torch", "Tensor"), ("torch.nn", "Module"))
_FUNCTION_KINDS = (types.FunctionType, types.BuiltinFunctionType, types.MethodType, type,
                   types.ModuleType, functools.partial, classmethod, staticmethod, property,
                   types.MethodDescriptorType, types.WrapperDescriptorType,
                   types.ClassMethodDescriptorType, types.GetSetDescriptorType,
                   types.MemberDescriptorType)


def _is_code(value: Any) -> bool:
    if isinstance(value, _FUNCTION_KINDS):
        return True
    kind = type(value).__name__
    return kind in ("ufunc", "_ArrayFunctionDispatcher", "fused_cython_function",
                    "cython_function_or_method")


def _attr(value: Any, name: str) -> Any:
    """``value.name``, or None: some objects compute attributes and raise anything."""
    if isinstance(value, types.ModuleType) and name not in ("__name__", "__file__"):
        return None  # a module's ``__getattr__`` may import or build things
    try:
        return getattr(value, name, None)
    except Exception:  # noqa: BLE001 - whatever it raises, it has no such attribute
        return None


def _trusted_code(value: Any, unknown: bool = False) -> bool:
    """True when ``value`` was written by Python, an installed library or homl-tui
    (``unknown`` when nothing says where it comes from)."""
    if isinstance(value, functools.partial):
        value = value.func
    if isinstance(value, types.ModuleType):
        return trusted_module(value.__name__)
    code = _attr(value, "__code__")
    if isinstance(code, types.CodeType):
        return trusted_path(code.co_filename)
    module = _attr(value, "__module__")
    return trusted_module(module) if isinstance(module, str) else unknown


def _wraps(value: Any, original: Any) -> bool:
    for _ in range(20):
        if value is original:
            return True
        value = _attr(value, "__wrapped__")
        if value is None:
            return False
    return False


@dataclass(frozen=True)
class _Binding:
    value: Any
    code: Any = None  # for a Python function, what can be changed without rebinding it
    defaults: Any = None
    kwdefaults: dict[str, Any] | None = None

    @classmethod
    def of(cls, value: Any) -> _Binding:
        if not isinstance(value, types.FunctionType):
            return cls(value)
        return cls(value, value.__code__, value.__defaults__, dict(value.__kwdefaults__ or {}))

    def holds(self, now: Any) -> bool:
        """True when ``now`` is still this binding (or installed code's wrapper around it)."""
        if now is not self.value:
            return _trusted_code(now) and _wraps(now, self.value)
        if not isinstance(now, types.FunctionType):
            return True
        if now.__code__ is not self.code and not trusted_path(now.__code__.co_filename):
            return False
        kwdefaults = now.__kwdefaults__ or {}
        recorded = self.kwdefaults or {}
        return (now.__defaults__ is self.defaults and kwdefaults.keys() == recorded.keys()
                and all(kwdefaults[k] is v for k, v in recorded.items()))


def _bindings(namespace: Mapping[str, Any], skip: frozenset[str]) -> dict[str, _Binding]:
    """name -> binding, for every function, class and module in ``namespace``."""
    return {name: _Binding.of(value) for name, value in list(namespace.items())
            if name not in skip and _is_code(value)}


@dataclass
class Watch:
    """What the watched names were bound to before the learner's file ran."""

    namespaces: dict[str, tuple[Mapping[str, Any], dict[str, _Binding]]] = field(
        default_factory=dict)
    late: list[str] = field(default_factory=list)  # watched modules not loaded yet

    def add(self, label: str, namespace: Mapping[str, Any],
            skip: frozenset[str] = frozenset()) -> None:
        if label not in self.namespaces:
            self.namespaces[label] = (namespace, _bindings(namespace, skip))

    def changed(self) -> list[str]:
        """Dotted names the code under check rebound or altered, sorted."""
        names = [f"{label}.{name}"
                 for label, (namespace, recorded) in self.namespaces.items()
                 for name, binding in recorded.items() if not binding.holds(namespace.get(name))]
        for label in self.late:
            module = sys.modules.get(label)
            for name, value in list(vars(module).items()) if module is not None else ():
                if _is_code(value) and not _trusted_code(value, unknown=True):
                    names.append(f"{label}.{name}")
        return sorted(names)


def _modules_of(check: types.ModuleType) -> Iterable[str]:
    """Modules the check's code reaches: those it imported, and those its functions come from."""
    for value in list(vars(check).values()):
        if isinstance(value, types.ModuleType):
            yield value.__name__
        elif _is_code(value):
            module = _attr(value, "__module__")
            if isinstance(module, str):
                yield module


def watch(check: types.ModuleType | None = None) -> Watch:
    """Record the functions the check relies on: its own, homl-tui's checks and report, Python's
    builtins and math, NumPy and torch (when loaded), and every module the check uses."""
    recorded = Watch()
    names = [*ALWAYS, *(n for n in sys.modules if n.startswith("homl_tui.checks"))]
    if check is not None:
        recorded.add(check.__name__, vars(check))
        names += list(_modules_of(check))
    for name in names:
        module = sys.modules.get(name)
        if isinstance(module, types.ModuleType) and module is not check:
            skip = FREE_BUILTINS if name == "builtins" else frozenset()
            recorded.add(name, vars(module), skip)
        elif module is None and name in ALWAYS:
            recorded.late.append(name)
    for module_name, class_name in CLASSES:
        cls = getattr(sys.modules.get(module_name), class_name, None)
        if isinstance(cls, type):
            recorded.add(f"{module_name}.{class_name}", cls.__dict__)
    return recorded
