"""The course catalog: parts and lessons in order, progress marks, the selected lesson's summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static

from homl_tui.course import Lesson
from homl_tui.ui.context import AppContext, exercise_mark, lesson_mark
from homl_tui.ui.widgets.lesson_list import LessonList

if TYPE_CHECKING:
    from homl_tui.store.db import Progress

MAX_PROBLEMS = 5


class CatalogScreen(Screen[None]):
    """Pick a lesson: arrows to move, Enter to open."""

    DEFAULT_CSS = """
    CatalogScreen #title { height: 1; padding: 0 1; background: $primary; color: $text;
                           text-style: bold; }
    CatalogScreen #problems { height: auto; max-height: 7; padding: 0 1; color: $warning;
                              border-left: thick $warning; }
    CatalogScreen #catalog-body { height: 1fr; }
    CatalogScreen LessonList { width: 1fr; min-width: 30; }
    CatalogScreen #summary { width: 1fr; padding: 0 1; border-left: solid $primary-darken-2; }
    """
    BINDINGS = [
        Binding("enter", "open", "Open lesson", priority=True),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self._shown_progress: dict[str, Progress] | None = None

    def compose(self) -> ComposeResult:
        course = self.context.course
        yield Static("homl-tui · Hands-On Machine Learning, in the terminal", id="title")
        if course.problems:
            lines = [
                f"⚠ {len(course.problems)} lesson problem(s): those lessons are skipped "
                "or incomplete."
            ]
            lines += [f"  {problem.describe(course.root)}"
                      for problem in course.problems[:MAX_PROBLEMS]]
            if len(course.problems) > MAX_PROBLEMS:
                lines.append(
                    f"  … and {len(course.problems) - MAX_PROBLEMS} more "
                    "(homl-tui lint lists them all)"
                )
            yield Static(Text("\n".join(lines)), id="problems")
        with Horizontal(id="catalog-body"):
            yield LessonList(id="lessons")
            with VerticalScroll(id="summary"):
                yield Static(id="summary-text")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_progress()
        self.query_one(LessonList).focus()
        if not self.context.course.lessons:
            self.query_one("#summary-text", Static).update(
                Text(
                    f"No lessons found in {self.context.course.root}.\n"
                    "Pass --lessons DIR to point homl-tui at a lessons folder.",
                    style="yellow",
                )
            )

    def on_screen_resume(self) -> None:
        self.refresh_progress()

    def refresh_progress(self) -> None:
        """Redraw progress marks if they changed (after coming back from a lesson)."""
        progress = self.context.progress()
        if progress == self._shown_progress:
            return
        self._shown_progress = progress
        lessons = self.query_one(LessonList)
        lessons.show_course(self.context.course, progress)
        self._show_summary(lessons.highlighted_option.id if lessons.highlighted_option else None)

    def _show_summary(self, lesson_id: str | None) -> None:
        lesson = self.context.course.lesson(lesson_id) if lesson_id else None
        if lesson is not None:
            self.query_one("#summary-text", Static).update(self.summary(lesson))

    def summary(self, lesson: Lesson) -> Text:
        """The selected lesson: title, chapter, summary, exercises with marks."""
        progress = self.context.progress()
        text = Text.assemble(
            (lesson.title, "bold"),
            "\n",
            (lesson.chapter, "italic"),
            "  ",
            (lesson_mark(lesson, progress), "green"),
            "\n\n",
        )
        if lesson.summary:
            text.append(lesson.summary + "\n\n")
        text.append("Exercises\n", "bold")
        for exercise in lesson.exercises:
            text.append(f" {exercise_mark(progress.get(exercise.key))} {exercise.title}\n")
        if lesson.prerequisites:
            text.append(f"\nBuilds on: {', '.join(lesson.prerequisites)}\n", "dim")
        if lesson.datasets:
            text.append(f"Datasets: {', '.join(lesson.datasets)}\n", "dim")
        text.append("\nEnter opens the lesson.", "dim")
        return text

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_summary(event.option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.open_lesson(event.option.id)  # type: ignore[attr-defined]

    def action_open(self) -> None:
        lessons = self.query_one(LessonList)
        if lessons.highlighted_option and lessons.highlighted_option.id:
            self.app.open_lesson(lessons.highlighted_option.id)  # type: ignore[attr-defined]
