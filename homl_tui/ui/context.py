"""What the app works on: the course, the store (if it opened), the workspace and settings.

No Textual here, so screens and tests share one plain object. Store reads and
writes go through :meth:`AppContext.progress` and :meth:`AppContext.write`, which
turn failures into messages instead of exceptions.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from homl_tui.course import Course, Exercise, Lesson
from homl_tui.outcome import Outcome
from homl_tui.paths import DataPaths
from homl_tui.store import Store, Workspace
from homl_tui.store.db import Progress


@dataclass
class AppContext:
    """The course, the learner's state and the run settings for one app session."""

    course: Course
    store: Store | None
    workspace: Workspace
    device: str = "auto"
    data_dir: Path | None = None  # the project's data/ folder, passed to checks
    home: Path | None = None  # the learner's data folder (store, workspace, runs)
    _scratch: Workspace | None = field(default=None, repr=False)

    def scratch(self) -> Workspace:
        """A private temporary folder for exercise files the workspace cannot take.

        Created on first use (a read-only data folder, a full disk), once per session.
        """
        if self._scratch is None:
            self._scratch = Workspace(Path(tempfile.mkdtemp(prefix="homl-tui-unsaved-")))
        return self._scratch

    @property
    def runs_dir(self) -> Path | None:
        """Where run supervisors write their logs."""
        return DataPaths(self.home).runs if self.home else None

    def checkpoint_dir(self, exercise: Exercise) -> Path | None:
        """Where a training run of ``exercise`` keeps its checkpoint."""
        if self.home is None:
            return None
        return DataPaths(self.home).checkpoint_dir(exercise.lesson_id, exercise.id)

    def progress(self) -> dict[str, Progress]:
        """Progress per exercise key; empty when the store is missing or unreadable."""
        if self.store is None:
            return {}
        try:
            return self.store.all_progress()
        except Exception:  # noqa: BLE001 - no progress is better than no app
            return {}

    def write(self, action: Callable[[Store], object]) -> str | None:
        """Run a store write; return an error message instead of raising (``None`` when fine)."""
        if self.store is None:
            return None
        try:
            action(self.store)
        except Exception as exc:  # noqa: BLE001
            return f"Progress not saved: {exc}"
        return None


def exercise_mark(progress: Progress | None) -> str:
    """One character for an exercise's state: ✔ passed, ✘ failed, ! error, · not started."""
    if progress is None or not progress.last_outcome:
        return "·"
    if progress.passed:
        return Outcome.PASS.mark
    return Outcome.parse(progress.last_outcome).mark


def lesson_score(lesson: Lesson, progress: dict[str, Progress]) -> tuple[int, int]:
    """(exercises passed, exercises) for a lesson."""
    passed = sum(1 for e in lesson.exercises if (p := progress.get(e.key)) and p.passed)
    return passed, len(lesson.exercises)


def lesson_mark(lesson: Lesson, progress: dict[str, Progress]) -> str:
    """``3/5``, with ``✔`` once every exercise passed."""
    passed, total = lesson_score(lesson, progress)
    if total == 0:
        return "—"
    return f"{passed}/{total}" + (" ✔" if passed == total else "")
