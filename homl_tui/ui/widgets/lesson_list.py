"""The catalog's list: part headings and lessons in course order, each with a progress mark."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from homl_tui.course import Course
from homl_tui.store.db import Progress
from homl_tui.ui.context import lesson_mark, lesson_score


class LessonList(OptionList):
    """Lessons grouped by part (disabled heading rows); option ids are lesson ids."""

    DEFAULT_CSS = """
    LessonList, LessonList:focus { height: 1fr; border: none; padding: 0; }
    LessonList { text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def show_course(self, course: Course, progress: dict[str, Progress]) -> None:
        """(Re)fill the list, keeping the highlighted lesson where possible."""
        current = self.highlighted_option.id if self.highlighted_option else None
        options: list[Option] = []
        part = None
        for lesson in course.lessons:
            if lesson.part != part:
                part = lesson.part
                title = course.parts.get(part, f"Part {part}")
                heading = Text(title, style="bold", no_wrap=True, overflow="ellipsis")
                options.append(Option(heading, id=f"part:{part}", disabled=True))
            passed, total = lesson_score(lesson, progress)
            mark = lesson_mark(lesson, progress)
            style = "green" if total and passed == total else ("yellow" if passed else "dim")
            prompt = Text.assemble(
                (f" {mark:>5} ", style),
                (lesson.title, "bold" if passed < total else ""),
                "\n       ",
                (lesson.chapter, "italic dim"),
                no_wrap=True,
                overflow="ellipsis",
            )
            options.append(Option(prompt, id=lesson.id))
        self.set_options(options)
        ids = [o.id for o in options]
        target = (
            current if current in ids else next((o.id for o in options if not o.disabled), None)
        )
        if target is not None:
            self.highlighted = ids.index(target)
