"""A JSON cache of a loaded course, so that the app starts without parsing every manifest.

A cold load records what the loader looked at (:class:`FileLog`) with its signature
(modification time, change time, size): every file it read, and the folder of every
file whose presence alone it checked (an entry added, removed or renamed changes a
folder's signature). A cache file holds the course and those signatures, and is used
only while every signature still matches: editing a manifest or a lesson's text,
adding or removing a lesson or an exercise file, or changing the loader's own code
means a cold load.

A course with problems is never cached (its problems always come from a fresh
validation), nor is one with files changed in the last seconds (an edit of the same
size within one tick of the file system's clock would keep a file's signature). A
cache file that cannot be read or does not fit the course model is ignored.
"""

from __future__ import annotations

import errno
import json
import os
import time
import zlib
from pathlib import Path
from stat import S_ISDIR, S_ISREG
from typing import Any

from homl_tui.course.model import Budget, Course, Exercise, Lesson, Mutant

FORMAT = 3  # 2: the budget keeps run_timeout_s; 3: no copies of the root and lesson ids
#: The code that turns files into a course: changing it invalidates every cache.
CODE_FILES = tuple(Path(__file__).with_name(name) for name in ("cache.py", "loader.py", "model.py"))
#: Files modified this recently are not trusted to show a later edit in their signature.
SETTLE_NS = 2_000_000_000
#: ``stat`` errors that mean "not there" (as for :meth:`pathlib.Path.is_file`).
_MISSING = {errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP}

Signature = tuple[int, int, int] | None


def _stat(path: str | Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError as exc:
        if exc.errno in _MISSING:
            return None
        raise


def _signature(stat: os.stat_result | None) -> Signature:
    return None if stat is None else (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size)


class FileLog:
    """The files and folders a load looked at, each with its signature at its first look."""

    def __init__(self) -> None:
        self.seen: dict[str, Signature] = {}

    def _look(self, path: Path) -> os.stat_result | None:
        stat = _stat(path)
        self.seen.setdefault(str(path), _signature(stat))
        return stat

    def is_file(self, path: Path) -> bool:
        """Whether ``path`` is a file (it is watched: it is read next)."""
        stat = self._look(path)
        return stat is not None and S_ISREG(stat.st_mode)

    def has_file(self, path: Path) -> bool:
        """Whether ``path`` is a file, when only that matters and not what it holds.

        Its folder is watched instead of the file: adding, removing or renaming an
        entry changes a folder's signature, editing a file in it does not.
        """
        if str(path.parent) not in self.seen:
            self._look(path.parent)
        stat = _stat(path)
        return stat is not None and S_ISREG(stat.st_mode)

    def is_dir(self, path: Path) -> bool:
        """Whether ``path`` is a folder (watched: entries added or removed change it)."""
        stat = self._look(path)
        return stat is not None and S_ISDIR(stat.st_mode)

    def read_text(self, path: Path) -> str:
        """The file's text (UTF-8), looked at before it is read."""
        self._look(path)
        return path.read_text(encoding="utf-8")


def cache_file(cache_dir: Path, root: Path) -> Path:
    """Where the cache of the course under ``root`` lives (one file per lessons folder)."""
    return cache_dir / f"course-{zlib.crc32(str(root).encode()):08x}.json"


def _inside(path: Path | str, base: Path) -> str:
    """``path`` relative to ``base`` if it is inside it, else whole: ``base / result == path``."""
    text, prefix = str(path), str(base) + os.sep
    return text[len(prefix):] if text.startswith(prefix) else text


def _unchanged(signatures: dict[str, Any], base: Path) -> bool:
    for path, signature in signatures.items():
        current = _signature(_stat(os.path.join(base, path)))
        if (list(current) if current is not None else None) != signature:
            return False
    return True


def read(cache_dir: Path, root: Path) -> Course | None:
    """The cached course under ``root`` if every file it came from is unchanged, else ``None``."""
    try:
        data = json.loads(cache_file(cache_dir, root).read_bytes())
        if data["format"] != FORMAT or data["root"] != str(root):
            return None
        if not _unchanged(data["code"], root) or not _unchanged(data["files"], root):
            return None
        return _course(data["course"], root)
    except Exception:  # noqa: BLE001 - a broken cache only means a cold load
        return None


def write(cache_dir: Path, root: Path, course: Course, log: FileLog) -> bool:
    """Cache ``course`` (loaded from the files in ``log``); ``False`` when it was not written."""
    if course.problems:
        return False
    settled = time.time_ns() - SETTLE_NS
    if any(sig is not None and sig[0] > settled for sig in log.seen.values()):
        return False
    data = {
        "format": FORMAT,
        "root": str(root),
        "code": {str(path): _signature(_stat(path)) for path in CODE_FILES},
        "files": {_inside(path, root): sig for path, sig in log.seen.items()},
        "course": _course_data(course, root),
    }
    from homl_tui.store.workspace import atomic_write  # only on a miss: not on every start

    try:
        atomic_write(cache_file(cache_dir, root), json.dumps(data, ensure_ascii=False))
    except OSError:
        return False
    return True


# Paths are stored relative to the folder they were found in (shorter, and faster to rebuild).


def _course_data(course: Course, root: Path) -> dict[str, Any]:
    return {
        "parts": [[number, title] for number, title in course.parts.items()],
        "lessons": [_lesson_data(lesson, root) for lesson in course.lessons],
    }


def _lesson_data(lesson: Lesson, root: Path) -> dict[str, Any]:
    return {
        "id": lesson.id, "title": lesson.title, "part": lesson.part, "chapter": lesson.chapter,
        "order": lesson.order, "directory": _inside(lesson.directory, root), "text": lesson.text,
        "summary": lesson.summary, "prerequisites": list(lesson.prerequisites),
        "datasets": list(lesson.datasets),
        "exercises": [_exercise_data(exercise, lesson.directory) for exercise in lesson.exercises],
    }


def _exercise_data(exercise: Exercise, lesson_dir: Path) -> dict[str, Any]:
    return {
        "id": exercise.id, "title": exercise.title,
        "prompt": exercise.prompt, "directory": _inside(exercise.directory, lesson_dir),
        "hints": list(exercise.hints),
        "mutants": [[_inside(mutant.path, exercise.directory), mutant.expect]
                    for mutant in exercise.mutants],
        "budget": [exercise.budget.timeout_s, exercise.budget.memory_mb,
                   exercise.budget.run_timeout_s],
        "frameworks": list(exercise.frameworks), "seed": exercise.seed,
    }


def _course(data: dict[str, Any], root: Path) -> Course:
    parts = {int(number): str(title) for number, title in data["parts"]}
    lessons = [_lesson(raw, root) for raw in data["lessons"]]
    return Course(root, parts, lessons, [])


def _lesson(raw: dict[str, Any], root: Path) -> Lesson:
    directory = root / raw["directory"]
    return Lesson(
        id=raw["id"], title=raw["title"], part=raw["part"], chapter=raw["chapter"],
        order=raw["order"], directory=directory, text=raw["text"],
        summary=raw["summary"], prerequisites=tuple(raw["prerequisites"]),
        datasets=tuple(raw["datasets"]),
        exercises=tuple(_exercise(ex, directory, raw["id"]) for ex in raw["exercises"]),
    )


def _exercise(raw: dict[str, Any], lesson_dir: Path, lesson_id: str) -> Exercise:
    directory = lesson_dir / raw["directory"]
    timeout_s, memory_mb, run_timeout_s = raw["budget"]
    return Exercise(
        id=raw["id"], lesson_id=lesson_id, title=raw["title"], prompt=raw["prompt"],
        directory=directory, hints=tuple(raw["hints"]),
        mutants=tuple(Mutant(directory / path, expect) for path, expect in raw["mutants"]),
        budget=Budget(timeout_s=timeout_s, memory_mb=memory_mb, run_timeout_s=run_timeout_s),
        frameworks=tuple(raw["frameworks"]), seed=raw["seed"],
    )
