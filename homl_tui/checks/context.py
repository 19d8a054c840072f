"""What a check gets besides the learner's module: reference, seeds, reporting, paths."""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import inspect
import io
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from homl_tui import report


def _new_module(path: Path, name: str) -> tuple[ModuleType, Any]:
    """An empty module for the file ``path``, registered as ``name``; (module, its spec)."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    return module, spec


def load_module(path: Path, name: str) -> ModuleType:
    """Import a Python file as a module named ``name`` (registered in ``sys.modules``)."""
    module, spec = _new_module(path, name)
    spec.loader.exec_module(module)
    return module


def load_source(source: bytes, path: Path, name: str) -> ModuleType:
    """Like :func:`load_module`, for a file's contents read earlier (``path`` names it)."""
    module, _ = _new_module(path, name)
    exec(compile(source, str(path), "exec", dont_inherit=True), module.__dict__)
    return module


def quietly(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call ``fn`` with its prints and report events hidden (for reference solutions)."""
    with contextlib.redirect_stdout(io.StringIO()), report.muted():
        return fn(*args, **kwargs)


def seed_everything(seed: int) -> None:
    """Seed Python's, NumPy's and (if it is imported) torch's random generators."""
    random.seed(seed)
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed(seed % (2**32))
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.manual_seed(seed)


class QuietModule:
    """A module whose functions run :func:`quietly`: calling the reference solution from a
    check does not print into the learner's output or stream its metrics to the app.

    Everything else (classes, constants) is passed through unchanged.
    """

    def __init__(self, module: ModuleType) -> None:
        self.__dict__["_module"] = module

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._module, name)
        if inspect.isfunction(value):
            @functools.wraps(value)
            def quiet(*args: Any, **kwargs: Any) -> Any:
                return quietly(value, *args, **kwargs)

            return quiet
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._module, name, value)

    def __dir__(self) -> list[str]:
        return dir(self._module)


@dataclass
class CheckContext:
    """Passed to ``check(learner, ctx)``.

    The reference solution's text is read when the context is made, before the learner's file
    runs, so code that rewrites ``solution.py`` on disk cannot change what it is compared with.
    """

    exercise_dir: Path
    data_dir: Path
    seed: int = 0
    device: str = "cpu"
    _reference: Any = field(default=None, init=False, repr=False)
    _reference_source: bytes | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        try:
            self._reference_source = (self.exercise_dir / "solution.py").read_bytes()
        except OSError:
            self._reference_source = None  # reported when a check asks for the reference

    @property
    def reference(self) -> Any:
        """The reference solution, loaded on first use; its functions run quietly."""
        if self._reference is None:
            path = self.exercise_dir / "solution.py"
            if self._reference_source is None:
                module = quietly(load_module, path, "_homl_reference")
            else:
                module = quietly(load_source, self._reference_source, path, "_homl_reference")
            self._reference = QuietModule(module)
        return self._reference

    def reseed(self, seed: int | None = None) -> None:
        """Reset every random generator (before each training run a check makes)."""
        seed_everything(self.seed if seed is None else seed)

    def rng(self, offset: int = 0) -> Any:
        """A NumPy ``Generator`` seeded from the exercise seed plus ``offset``."""
        import numpy as np

        return np.random.default_rng(self.seed + offset)

    @property
    def report(self) -> ModuleType:
        """The :mod:`homl_tui.report` module, for plots and metrics sent by the check."""
        return report
