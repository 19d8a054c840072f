"""Shared helpers for the UI tests: an app on the fixture lessons with a temporary data folder."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import stop_active_runs
from textual.pilot import Pilot

from homl_tui.ui.app import HomlApp
from homl_tui.ui.launch import create_app

LESSONS = Path(__file__).resolve().parents[1] / "fixtures" / "lessons"
DEMO_SOLUTION = LESSONS / "01_demo" / "exercises" / "add" / "solution.py"
STREAM_SOLUTION = LESSONS / "02_stream" / "exercises" / "descend" / "solution.py"


@pytest.fixture
def anyio_backend() -> str:
    """Async tests (marked ``anyio``) run on asyncio only."""
    return "asyncio"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOML_TUI_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("HOML_TUI_LESSONS", raising=False)


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    """The test's data folder; runs a test leaves going (they are detached) are stopped after."""
    folder = tmp_path / "data"
    yield folder
    stop_active_runs(folder / "homl.sqlite3")


@pytest.fixture
def make_app(data_dir: Path) -> Callable[..., HomlApp]:
    def make(lessons: Path = LESSONS, data: Path | None = None) -> HomlApp:
        return create_app(lessons, data or data_dir, "auto")

    return make


async def wait_for(
    pilot: Pilot, condition: Callable[[], object], timeout: float = 20.0, what: str = "condition"
) -> None:
    """Let the app run until ``condition()`` is true (fail after ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.05)
        await asyncio.sleep(0)


async def open_lesson(pilot: Pilot, lesson_id: str, exercise_id: str | None = None) -> None:
    app = pilot.app
    app.open_lesson(lesson_id, exercise_id)  # type: ignore[attr-defined]
    await wait_for(
        pilot, lambda: getattr(app.screen, "exercise", None) is not None, what="the lesson screen"
    )
    await pilot.pause()
