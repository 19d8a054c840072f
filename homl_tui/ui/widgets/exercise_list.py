"""The lesson screen's sidebar: the lesson's exercises with status marks."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from homl_tui.course import Lesson
from homl_tui.store.db import Progress
from homl_tui.ui.context import exercise_mark

MARK_STYLES = {"✔": "bold green", "✘": "bold red", "!": "bold red", "⧗": "bold yellow"}


class ExerciseList(OptionList):
    """One option per exercise (id = exercise id): ``✔ 1. Title``."""

    DEFAULT_CSS = """
    ExerciseList, ExerciseList:focus { height: 1fr; border: none; padding: 0; }
    """

    def show_exercises(
        self, lesson: Lesson, progress: dict[str, Progress], current: str | None = None
    ) -> None:
        """(Re)fill the list; ``current`` is highlighted."""
        highlighted = current or (self.highlighted_option.id if self.highlighted_option else None)
        options = []
        for number, exercise in enumerate(lesson.exercises, start=1):
            mark = exercise_mark(progress.get(exercise.key))
            prompt = Text.assemble(
                (mark, MARK_STYLES.get(mark, "dim")), f" {number}. {exercise.title}"
            )
            options.append(Option(prompt, id=exercise.id))
        self.set_options(options)
        ids = [o.id for o in options]
        if highlighted in ids:
            self.highlighted = ids.index(highlighted)
