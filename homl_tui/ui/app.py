"""The Textual application: a thin shell over the screens.

The app holds the :class:`~homl_tui.ui.context.AppContext`, opens the catalog,
pushes lesson screens, and adds course and lesson commands to Textual's
command palette (which also offers theme switching).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from homl_tui.ui.commands import CourseCommands
from homl_tui.ui.context import AppContext
from homl_tui.ui.screens.catalog import CatalogScreen

if TYPE_CHECKING:
    from homl_tui.ui.screens.lesson import LessonScreen

LESSON_MODULE = "homl_tui.ui.screens.lesson"


def _as_lesson_screen(screen: Screen) -> LessonScreen | None:
    """``screen`` if it is a lesson screen. The lesson module (editor, Markdown, tree-sitter)
    is imported only when the first lesson opens, to keep start-up fast."""
    module = sys.modules.get(LESSON_MODULE)
    if module is not None and isinstance(screen, module.LessonScreen):
        return screen
    return None


class HomlApp(App[int]):
    """homl-tui: lessons, exercises with checks, live training dashboards."""

    CSS_PATH = "app.tcss"
    TITLE = "homl-tui"
    COMMANDS = App.COMMANDS | {CourseCommands}
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]

    def __init__(self, context: AppContext, notes: Iterable[str] = ()) -> None:
        super().__init__()
        self.context = context
        self.notes = list(notes)

    def on_mount(self) -> None:
        self.push_screen(CatalogScreen(self.context))
        for note in self.notes:
            self.notify(note, title="Progress store", severity="warning", timeout=15)

    def open_lesson(self, lesson_id: str, exercise_id: str | None = None) -> None:
        """Open a lesson (at an exercise), replacing a lesson screen that is already open."""
        lesson = self.context.course.lesson(lesson_id)
        if lesson is None:
            self.notify(f"No lesson named {lesson_id!r}.", severity="error")
            return
        current = _as_lesson_screen(self.screen)
        if current is not None:
            if current.lesson.id == lesson_id and exercise_id:
                exercise = lesson.exercise(exercise_id)
                if exercise is not None:
                    current._open_exercise(exercise)
                return
            current.shutdown()
            self.pop_screen()
        from homl_tui.ui.screens.lesson import LessonScreen

        self.push_screen(LessonScreen(self.context, lesson, exercise_id))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        lesson_screen = _as_lesson_screen(screen)
        if lesson_screen is not None:
            for title, help_text, callback in lesson_screen.palette_commands():
                yield SystemCommand(title, help_text, callback)

    async def action_quit(self) -> None:
        """Save drafts and stop runs, then quit."""
        for screen in self.screen_stack:
            lesson_screen = _as_lesson_screen(screen)
            if lesson_screen is not None:
                lesson_screen.shutdown()
        self.exit(0)
