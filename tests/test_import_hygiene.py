"""Import boundaries: the core never pulls in the UI; the UI never pulls in ML libraries.

Each import runs in a fresh interpreter and the test inspects its ``sys.modules``.
"""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, run_python

CORE_MODULES = [
    "homl_tui.course",
    "homl_tui.checks.errors",
    "homl_tui.runtime.runner",
    "homl_tui.store",
    "homl_tui.grading",
    "homl_tui.junit",
    "homl_tui.report",
    "homl_tui.cli",
]
UI_PREFIXES = ("textual", "rich")
ML_PREFIXES = ("torch", "sklearn", "gymnasium")


def imported_after(module: str) -> set[str]:
    """Top-level names of the modules that importing ``module`` loads."""
    proc = run_python(f"""
        import json, sys
        import {module}
        print(json.dumps(sorted(sys.modules)))
    """)
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(proc.stdout))


def offending(modules: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in prefixes)


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_imports_no_ui_library(module):
    assert offending(imported_after(module), UI_PREFIXES) == []


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_imports_no_ml_library(module):
    assert offending(imported_after(module), ML_PREFIXES) == []


def test_the_check_helpers_import_numpy_but_not_torch():
    modules = imported_after("homl_tui.checks")
    assert "numpy" in modules
    assert offending(modules, ML_PREFIXES) == []


def test_the_guard_itself_sees_imports():
    assert offending(imported_after("rich.console"), UI_PREFIXES)
    assert "numpy" in imported_after("homl_tui.checks.values")


UI_APP_MISSING = not (ROOT / "homl_tui" / "ui" / "app.py").is_file()


@pytest.mark.xfail(UI_APP_MISSING, reason="homl_tui/ui/app.py is not written yet", strict=False)
def test_ui_app_imports_no_ml_library_and_no_numpy():
    modules = imported_after("homl_tui.ui.app")
    assert offending(modules, (*ML_PREFIXES, "numpy")) == []
