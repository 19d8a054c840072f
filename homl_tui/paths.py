"""Where homl-tui keeps things: the lessons folder and the per-user data folder.

The data folder holds the SQLite store and the learner's workspace. It is, in
order of precedence: the ``--data-dir`` option (passed in as ``override``), the
``HOML_TUI_HOME`` environment variable, or the platform's user data folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_HOME = "HOML_TUI_HOME"
ENV_LESSONS = "HOML_TUI_LESSONS"


def default_lessons_dir() -> Path:
    """The ``lessons/`` folder shipped next to the package (or ``HOML_TUI_LESSONS``)."""
    env = os.environ.get(ENV_LESSONS)
    if env:
        return Path(env).expanduser().resolve()
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "lessons", here / "lessons"):
        if candidate.is_dir():
            return candidate
    return here.parent / "lessons"


def project_data_dir() -> Path:
    """The ``data/`` folder next to the lessons (what ``Course.data_dir`` is for a course)."""
    return default_lessons_dir().parent / "data"


def default_data_dir() -> Path:
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser().resolve()
    from platformdirs import user_data_dir

    return Path(user_data_dir("homl-tui", appauthor=False))


@dataclass(frozen=True)
class DataPaths:
    """The files and folders under one data folder."""

    root: Path

    @property
    def db(self) -> Path:
        return self.root / "homl.sqlite3"

    @property
    def workspace(self) -> Path:
        return self.root / "workspace"

    @property
    def runs(self) -> Path:
        return self.root / "runs"

    @property
    def cache(self) -> Path:
        """Things worth keeping between starts but safe to delete (the parsed course)."""
        return self.root / "cache"

    @property
    def checkpoints(self) -> Path:
        return self.root / "checkpoints"

    def checkpoint_dir(self, lesson_id: str, exercise_id: str) -> Path:
        """Where training runs of one exercise keep their checkpoints (a folder per run)."""
        return self.checkpoints / lesson_id / exercise_id


def data_paths(override: str | os.PathLike[str] | None = None) -> DataPaths:
    root = Path(override).expanduser().resolve() if override else default_data_dir()
    return DataPaths(root)
