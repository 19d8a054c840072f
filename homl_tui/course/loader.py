"""Discover lessons under a folder and validate their manifests.

A lesson is a folder ``lessons/NN_slug/`` holding ``lesson.toml`` (the
manifest), its Markdown text and an ``exercises/`` folder. A lesson that fails
validation is reported as a :class:`Problem` naming the file and the field, and
skipped; the other lessons still load.

Given a cache folder, :func:`load_course` reuses the course it cached last time
while none of the files it came from changed (see :mod:`homl_tui.course.cache`).
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from homl_tui.course import cache
from homl_tui.course.model import Budget, Course, Exercise, Lesson, Mutant, Problem

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
DEFAULT_PARTS = {
    1: "Part I · The fundamentals of machine learning (scikit-learn)",
    2: "Part II · Neural networks and deep learning (PyTorch)",
}
MIN_HINTS = 3
KNOWN_FRAMEWORKS = {"numpy", "torch", "sklearn", "gymnasium", "pandas", "transformers"}


class ManifestError(Exception):
    """A manifest field is missing or has the wrong type."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _get(table: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str,
         default: Any = ...) -> Any:
    field = f"{where}.{key}" if where else key
    if key not in table:
        if default is ...:
            raise ManifestError(field, "is required")
        return default
    value = table[key]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ManifestError(field, f"must be a {names}, not {type(value).__name__}")
    return value


def _relative_path(table: dict[str, Any], key: str, where: str, default: Any = ...) -> str:
    """A file or folder name from the manifest (a string the file system can take)."""
    value = _get(table, key, str, where, default)
    if "\0" in value:
        raise ManifestError(f"{where}.{key}" if where else key, "must not contain a NUL character")
    return value


def _str_list(table: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    values = _get(table, key, list, where, [])
    field = f"{where}.{key}" if where else key
    if not all(isinstance(v, str) and v.strip() for v in values):
        raise ManifestError(field, "must be a list of non-empty strings")
    return tuple(values)


def _budget(table: dict[str, Any], where: str, base: Budget) -> Budget:
    timeout = _get(table, "timeout_s", float, where, base.timeout_s)
    memory = _get(table, "memory_mb", int, where, base.memory_mb)
    run_timeout = _get(table, "run_timeout_s", float, where, base.run_timeout_s)
    if not (timeout > 0 and math.isfinite(timeout)):  # nan or inf: a run would never stop
        raise ManifestError(f"{where}.timeout_s", "must be a positive number of seconds")
    if memory < 64:
        raise ManifestError(f"{where}.memory_mb", "must be at least 64")
    if not (run_timeout > 0 and math.isfinite(run_timeout)):
        raise ManifestError(f"{where}.run_timeout_s", "must be a positive number of seconds")
    return Budget(timeout_s=timeout, memory_mb=memory, run_timeout_s=run_timeout)


def _exercise(raw: Any, index: int, lesson_id: str, lesson_dir: Path, base: Budget,
              files: cache.FileLog) -> Exercise:
    where = f"exercises[{index}]"
    if not isinstance(raw, dict):
        raise ManifestError(where, "must be a table")
    ex_id = _get(raw, "id", str, where)
    if not ID_RE.fullmatch(ex_id):
        raise ManifestError(f"{where}.id", "must be lower-case letters, digits, _ or -")
    where = f"exercises.{ex_id}"
    directory = lesson_dir / _relative_path(raw, "dir", where, f"exercises/{ex_id}")
    for name in ("starter.py", "solution.py", "check.py"):
        if not files.has_file(directory / name):
            raise ManifestError(f"{where}.dir", f"{directory / name} does not exist")
    hints = _str_list(raw, "hints", where)
    if len(hints) < MIN_HINTS:
        raise ManifestError(f"{where}.hints", f"needs at least {MIN_HINTS} hints, has {len(hints)}")
    mutants = []
    for m_index, m_raw in enumerate(_get(raw, "mutants", list, where, [])):
        m_where = f"{where}.mutants[{m_index}]"
        if not isinstance(m_raw, dict):
            raise ManifestError(m_where, "must be a table with file and expect")
        path = directory / _relative_path(m_raw, "file", m_where)
        if not files.has_file(path):
            raise ManifestError(f"{m_where}.file", f"{path} does not exist")
        expect = _get(m_raw, "expect", str, m_where)
        if not expect.strip():
            raise ManifestError(f"{m_where}.expect", "must not be empty")
        mutants.append(Mutant(path=path, expect=expect))
    frameworks = _str_list(raw, "frameworks", where)
    unknown = set(frameworks) - KNOWN_FRAMEWORKS
    if unknown:
        raise ManifestError(f"{where}.frameworks", f"unknown: {', '.join(sorted(unknown))}")
    return Exercise(
        id=ex_id,
        lesson_id=lesson_id,
        title=_get(raw, "title", str, where),
        prompt=_get(raw, "prompt", str, where, ""),
        directory=directory,
        hints=hints,
        mutants=tuple(mutants),
        budget=_budget(raw, where, base),
        frameworks=frameworks,
        seed=_get(raw, "seed", int, where, 0),
    )


def load_lesson(directory: Path, files: cache.FileLog | None = None) -> Lesson:
    """Load one lesson folder. Raises :class:`ManifestError` or ``OSError``.

    ``files`` records what the load looked at (for the course cache).
    """
    import tomllib  # here, not at the top: a cached course is loaded without it

    files = files if files is not None else cache.FileLog()
    manifest = directory / "lesson.toml"
    try:
        data = tomllib.loads(files.read_text(manifest))
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError("", f"is not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ManifestError("", "is not UTF-8 text") from None
    except RecursionError:
        raise ManifestError("", "is nested too deeply to be read") from None
    lesson_id = _get(data, "id", str, "")
    if not ID_RE.fullmatch(lesson_id):
        raise ManifestError("id", "must be lower-case letters, digits, _ or -")
    part = _get(data, "part", int, "")
    if part < 1:
        raise ManifestError("part", "must be 1 or more")
    text_file = directory / _relative_path(data, "text", "", "lesson.md")
    if not files.is_file(text_file):
        what = "is not a file" if text_file.exists() else "does not exist"
        raise ManifestError("text", f"{text_file} {what}")
    try:
        text = files.read_text(text_file)
    except UnicodeDecodeError:
        raise ManifestError("text", f"{text_file} is not UTF-8 text") from None
    base = _budget(_get(data, "budget", dict, "", {}), "budget", Budget())
    raw_exercises = _get(data, "exercises", list, "", [])
    exercises = tuple(
        _exercise(raw, i, lesson_id, directory, base, files) for i, raw in enumerate(raw_exercises)
    )
    ids = [e.id for e in exercises]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise ManifestError("exercises", f"duplicate exercise ids: {', '.join(sorted(duplicates))}")
    return Lesson(
        id=lesson_id,
        title=_get(data, "title", str, ""),
        part=part,
        chapter=_get(data, "chapter", str, ""),
        order=_get(data, "order", int, ""),
        directory=directory,
        text=text,
        summary=_get(data, "summary", str, "", ""),
        prerequisites=_str_list(data, "prerequisites", ""),
        datasets=_str_list(data, "datasets", ""),
        exercises=exercises,
    )


def _parts(root: Path, problems: list[Problem], files: cache.FileLog) -> dict[int, str]:
    import tomllib

    parts = dict(DEFAULT_PARTS)
    course_file = root / "course.toml"
    if not files.is_file(course_file):
        return parts
    try:
        data = tomllib.loads(files.read_text(course_file))
        for key, title in data.get("parts", {}).items():
            parts[int(key)] = str(title)
    except (tomllib.TOMLDecodeError, ValueError, AttributeError, RecursionError) as exc:
        problems.append(Problem(course_file, "parts", f"ignored: {exc}"))
    return parts


def load_course(root: Path, cache_dir: Path | None = None) -> Course:
    """Load every lesson under ``root``; broken lessons become problems, not exceptions.

    With ``cache_dir``, the course cached there is used while its files are unchanged,
    and a fresh load is cached there for next time.
    """
    if cache_dir is None:
        return _load_course(root, cache.FileLog())
    cached = cache.read(cache_dir, root)
    if cached is not None:
        return cached
    files = cache.FileLog()
    course = _load_course(root, files)
    cache.write(cache_dir, root, course, files)
    return course


def _load_course(root: Path, files: cache.FileLog) -> Course:
    problems: list[Problem] = []
    if not files.is_dir(root):
        return Course(root, dict(DEFAULT_PARTS), [], [Problem(root, "", "lessons folder not found")])
    parts = _parts(root, problems, files)
    lessons: list[Lesson] = []
    seen: dict[str, Path] = {}
    for directory in sorted(p for p in root.iterdir() if p.is_dir()):
        manifest = directory / "lesson.toml"
        if not files.is_file(manifest):
            continue
        try:
            lesson = load_lesson(directory, files)
        except ManifestError as exc:
            problems.append(Problem(manifest, exc.field, exc.message))
            continue
        except OSError as exc:
            problems.append(Problem(manifest, "", f"could not be read: {exc.strerror or exc}"))
            continue
        except Exception as exc:  # noqa: BLE001 - one bad lesson must not take the course down
            problems.append(Problem(manifest, "", f"could not be loaded: "
                                                  f"{type(exc).__name__}: {exc}"))
            continue
        if lesson.id in seen:
            problems.append(Problem(manifest, "id", f"{lesson.id!r} is also used by {seen[lesson.id]}"))
            continue
        seen[lesson.id] = manifest
        lessons.append(lesson)
    known = {lesson.id for lesson in lessons}
    for lesson in lessons:
        for prereq in lesson.prerequisites:
            if prereq not in known:
                problems.append(Problem(lesson.directory / "lesson.toml", "prerequisites",
                                        f"names unknown lesson {prereq!r}"))
    lessons.sort(key=lambda lesson: (lesson.part, lesson.order, lesson.id))
    return Course(root, parts, lessons, problems)
