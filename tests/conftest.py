"""Shared fixtures for the core test suite.

Everything here runs the real thing: exercises are written to ``tmp_path`` and
checked by real :class:`~homl_tui.runtime.runner.Run` child processes.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from homl_tui.runtime.events import Event
from homl_tui.runtime.runner import Run, RunResult
from homl_tui.runtime.spec import RunSpec
from homl_tui.store import Store

ROOT = Path(__file__).resolve().parents[1]
RELIABILITY_DOC = ROOT / "docs" / "reliability.md"
TABLE_BEGIN, TABLE_END = "<!-- faults:begin -->", "<!-- faults:end -->"
FIXTURE_LESSONS = ROOT / "tests" / "fixtures" / "lessons"
DEMO_LESSON = FIXTURE_LESSONS / "01_demo"

#: check.py, solution.py and starter.py of a tiny exercise: ``double(x)`` returns ``2 * x``.
DOUBLE_CHECK = """
    from homl_tui.checks import compare_with_reference, require_function


    def check(learner, ctx):
        double = require_function(learner, "double")
        rng = ctx.rng()
        cases = [(rng.normal(size=(n,)),) for n in (1, 3, 5)]
        compare_with_reference("double", double, ctx.reference.double, cases)
"""
DOUBLE_SOLUTION = """
    def double(x):
        return 2 * x
"""
DOUBLE_STARTER = """
    def double(x):
        # TODO: return twice x
        raise NotImplementedError
"""


def dedent(source: str) -> str:
    return textwrap.dedent(source).lstrip("\n")


def write_exercise(
    directory: Path,
    *,
    check: str = DOUBLE_CHECK,
    solution: str = DOUBLE_SOLUTION,
    starter: str = DOUBLE_STARTER,
    extra: dict[str, str] | None = None,
) -> Path:
    """Write an exercise folder (check.py, solution.py, starter.py, extra files); return it."""
    directory.mkdir(parents=True, exist_ok=True)
    files = {"check.py": check, "solution.py": solution, "starter.py": starter, **(extra or {})}
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text), encoding="utf-8")
    return directory


@dataclass
class Checked:
    """What a run produced: its result and every event, in arrival order."""

    result: RunResult
    events: list[Event] = field(default_factory=list)
    run: Run | None = None

    def kinds(self) -> list[str]:
        return [e["kind"] for e in self.events]

    def of(self, kind: str) -> list[Event]:
        return [e for e in self.events if e["kind"] == kind]

    def text(self, kind: str = "stdout") -> str:
        return "".join(e["text"] for e in self.of(kind))


def make_spec(target: Path, exercise_dir: Path | None, **overrides: Any) -> RunSpec:
    spec: dict[str, Any] = dict(
        mode="check",
        target=str(target),
        exercise_dir=str(exercise_dir) if exercise_dir else None,
        frameworks=["numpy"],
        timeout_s=30.0,
        memory_mb=2048,
        threads=1,
    )
    spec.update(overrides)
    return RunSpec(**spec)


def run_check(
    tmp_path: Path,
    learner: str,
    *,
    exercise_dir: Path | None = None,
    **overrides: Any,
) -> Checked:
    """Write ``learner`` as the learner's file and run it (check mode unless ``mode=`` is given).

    The exercise defaults to the ``double`` exercise above, written under ``tmp_path``.
    """
    if exercise_dir is None:
        exercise_dir = tmp_path / "exercise"
        if not exercise_dir.is_dir():
            write_exercise(exercise_dir)
    workspace = tmp_path / "workspace"
    workspace.mkdir(exist_ok=True)
    target = workspace / "attempt.py"
    target.write_text(dedent(learner), encoding="utf-8")
    run = Run(make_spec(target, exercise_dir, **overrides)).start()
    events: list[Event] = []
    result = run.wait(events.append)
    return Checked(result, events, run)


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for a child ``python``: the project importable, no event pipe, no colour."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("HOML_TUI_EVENTS_FD", "HOML_TUI_EVENTS_PATH", "HOML_TUI_HOME", "HOML_TUI_LESSONS", "NO_COLOR")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env.update(extra)
    return env


def run_python(code: str, *, timeout: float = 60, **kwargs: Any) -> subprocess.CompletedProcess:
    """Run ``python -c code`` in a fresh interpreter and capture its output."""
    kwargs.setdefault("env", subprocess_env())
    return subprocess.run([sys.executable, "-c", dedent(code)], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, **kwargs)


def process_gone(pid: int) -> bool:
    """True when ``pid`` no longer runs (absent, or a zombie nobody has reaped yet)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
    except FileNotFoundError:
        return True
    return stat[stat.rfind(b")") + 2:].split()[0] in (b"Z", b"X")


def wait_until(condition: Callable[[], object], timeout: float = 30.0, what: str = "") -> object:
    """Poll ``condition()`` until it is truthy and return its value; fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what or condition}")
        time.sleep(0.05)


def stop_active_runs(store_or_path: Store | Path, wait_s: float = 2.0) -> None:
    """Stop every run still going in a store, of any kind (a teardown for detached runs).

    ``store_or_path`` is an open :class:`Store`, or the path of its SQLite file: opened and
    closed here, and nothing to do when there is no such file.
    """
    from homl_tui.runtime.detached import stop_run

    if not isinstance(store_or_path, Store):
        path = Path(store_or_path)
        if path.is_file():
            with contextlib.closing(Store(path)) as store:
                stop_active_runs(store, wait_s)
        return
    for info in store_or_path.runs.list(1000, active=True, kind=None):
        stop_run(store_or_path, info.id, wait_s=wait_s)


@pytest.fixture
def double_exercise(tmp_path: Path) -> Path:
    """The ``double`` exercise written under ``tmp_path``."""
    return write_exercise(tmp_path / "exercise")


# ----------------------------------------------------- the fault-injection suite
def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--reliability-doc", action="store_true",
                     help="rewrite the table of faults in docs/reliability.md from this run "
                          "(run tests/faults with -n 0)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fault(area, name): a fault-injection test; what the "
                                       "learner saw goes into docs/reliability.md")
    config.fault_outcomes = {}  # type: ignore[attr-defined]


def fault_table(rows: list[tuple[str, str, str, str]]) -> str:
    """The Markdown table of faults: area, fault, what the learner sees, the test."""
    lines = ["| area | fault injected | what happens (as the learner sees it) | test |",
             "| --- | --- | --- | --- |"]
    for row in rows:
        area, name, seen, test = (cell.replace("|", "\\|").replace("\n", " ") for cell in row)
        lines.append(f"| {area} | {name} | {seen} | `{test}` |")
    return "\n".join(lines)


def pytest_sessionfinish(session: pytest.Session) -> None:
    outcomes = getattr(session.config, "fault_outcomes", {})
    if not session.config.getoption("--reliability-doc"):
        return
    if hasattr(session.config, "workerinput") or not outcomes:
        return  # an xdist worker sees only its share: the table is written by a -n 0 run
    rows = [(area, name, seen, test) for (area, name), (seen, test) in outcomes.items()]
    rows.sort(key=lambda row: (FAULT_AREAS.index(row[0]) if row[0] in FAULT_AREAS else 99,
                               row[3]))
    text = RELIABILITY_DOC.read_text(encoding="utf-8")
    head, _, rest = text.partition(TABLE_BEGIN)
    _, _, tail = rest.partition(TABLE_END)
    RELIABILITY_DOC.write_text(f"{head}{TABLE_BEGIN}\n{fault_table(rows)}\n{TABLE_END}{tail}",
                               encoding="utf-8")


FAULT_AREAS = ["Learner code", "Tampering", "The app", "Headless"]
