"""Prepare a lesson's Markdown for display: each ``::: exercise ID`` line becomes a callout."""

from __future__ import annotations

from collections.abc import Mapping

from homl_tui.course import Lesson
from homl_tui.course.model import EXERCISE_MARKER


def lesson_markdown(lesson: Lesson, marks: Mapping[str, str] | None = None) -> str:
    """The lesson text with a visible callout (a quote block) in place of each exercise marker.

    ``marks`` maps exercise ids to a status mark (e.g. ``✔``) shown in the callout.
    """
    marks = marks or {}
    numbers = {exercise.id: i for i, exercise in enumerate(lesson.exercises, start=1)}

    def callout(match: object) -> str:
        exercise_id = match.group(1)  # type: ignore[attr-defined]
        exercise = lesson.exercise(exercise_id)
        if exercise is None:
            return f"> **⚠ Unknown exercise `{exercise_id}`** (the lesson names an exercise it does not define)"
        mark = marks.get(exercise_id, "")
        lines = [
            f"> **✎ Exercise {numbers[exercise_id]}: {exercise.title}** `{exercise.id}` {mark}".rstrip(),
        ]
        if exercise.prompt:
            lines += [">", *(f"> {line}" for line in exercise.prompt.strip().splitlines())]
        lines += [">", "> *Open it in the Code tab (F2): ctrl+r runs it, ctrl+t checks it.*"]
        return "\n".join(lines)

    return EXERCISE_MARKER.sub(callout, lesson.text)
