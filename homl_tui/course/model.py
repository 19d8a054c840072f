"""Plain data for the course: parts, lessons, exercises, mutants."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

#: A line in a lesson's Markdown that places an exercise in the text: ``::: exercise ID``.
EXERCISE_MARKER = re.compile(r"^:::\s*exercise\s+([A-Za-z0-9_\-]+)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Mutant:
    """A known-wrong solution and the words its check message must contain."""

    path: Path
    expect: str

    @property
    def name(self) -> str:
        return self.path.stem


@dataclass(frozen=True)
class Budget:
    """Limits for one run of an exercise."""

    timeout_s: float = 60.0  # a check, or a run of the solution in lint
    memory_mb: int = 4096
    run_timeout_s: float = 3600.0  # the learner's own run (ctrl+r): full trainings take time


@dataclass(frozen=True)
class Exercise:
    """One runnable, automatically checked exercise."""

    id: str
    lesson_id: str
    title: str
    prompt: str
    directory: Path
    hints: tuple[str, ...]
    mutants: tuple[Mutant, ...]
    budget: Budget
    frameworks: tuple[str, ...] = ()
    seed: int = 0

    @property
    def key(self) -> str:
        """``lesson/exercise``: how the CLI and the store name it."""
        return f"{self.lesson_id}/{self.id}"

    @property
    def starter(self) -> Path:
        return self.directory / "starter.py"

    @property
    def solution(self) -> Path:
        return self.directory / "solution.py"

    @property
    def check(self) -> Path:
        return self.directory / "check.py"


@dataclass(frozen=True)
class Lesson:
    """One lesson: Markdown text plus its exercises, in course order."""

    id: str
    title: str
    part: int
    chapter: str
    order: int
    directory: Path
    text: str
    summary: str = ""
    prerequisites: tuple[str, ...] = ()
    datasets: tuple[str, ...] = ()
    exercises: tuple[Exercise, ...] = ()

    def exercise(self, exercise_id: str) -> Exercise | None:
        return next((e for e in self.exercises if e.id == exercise_id), None)

    def referenced_exercises(self) -> list[str]:
        """Exercise ids placed in the text with ``::: exercise ID`` lines, in order."""
        return EXERCISE_MARKER.findall(self.text)

    def word_count(self) -> int:
        prose = re.sub(r"```.*?```", " ", self.text, flags=re.DOTALL)
        return len(re.findall(r"[A-Za-z][A-Za-z'\-]*", prose))


@dataclass(frozen=True)
class Problem:
    """A lesson file that could not be loaded, with where and why."""

    path: Path
    field: str
    message: str

    def __str__(self) -> str:
        return self.describe()

    def describe(self, root: Path | None = None) -> str:
        """``file [field]: message``, the file relative to ``root`` when it is inside it."""
        path = self.path
        if root is not None and path.is_relative_to(root):
            path = path.relative_to(root)
        where = f"{path}" + (f" [{self.field}]" if self.field else "")
        return f"{where}: {self.message}"


@dataclass
class Course:
    """All lessons that loaded, in order, and the problems found on the way."""

    root: Path
    parts: dict[int, str]
    lessons: list[Lesson] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def data_dir(self) -> Path:
        """The project's ``data/`` folder, next to the lessons folder."""
        return self.root.parent / "data"

    def lesson(self, lesson_id: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)

    def exercises(self) -> list[Exercise]:
        return [e for lesson in self.lessons for e in lesson.exercises]

    def select(self, target: str | None) -> list[Exercise]:
        """Exercises named by ``LESSON``, ``LESSON/EXERCISE`` or everything (``None``).

        Raises ``KeyError`` with a readable message when nothing matches.
        """
        if not target:
            return self.exercises()
        lesson_id, _, exercise_id = target.strip("/").partition("/")
        lesson = self.lesson(lesson_id)
        if lesson is None:
            known = ", ".join(lesson.id for lesson in self.lessons)
            raise KeyError(f"no lesson named {lesson_id!r} (known: {known})")
        if not exercise_id:
            return list(lesson.exercises)
        exercise = lesson.exercise(exercise_id)
        if exercise is None:
            known = ", ".join(e.id for e in lesson.exercises)
            raise KeyError(f"lesson {lesson_id!r} has no exercise {exercise_id!r} (known: {known})")
        return [exercise]
