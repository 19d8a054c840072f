"""Command palette provider: open any lesson or exercise by name, or the run history."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class CourseCommands(Provider):
    """``Open lesson: …`` and ``Open exercise: …`` entries for the whole course, and
    ``Show runs``."""

    def _entries(self) -> list[tuple[str, str, partial[None]]]:
        app = self.app
        course = app.context.course  # type: ignore[attr-defined]
        entries = [
            (
                "Show runs",
                "Run history: open, compare, stop, resume (f6)",
                partial(app.action_show_runs),  # type: ignore[attr-defined]
            )
        ]
        for lesson in course.lessons:
            entries.append(
                (
                    f"Open lesson: {lesson.title}",
                    lesson.chapter,
                    partial(app.open_lesson, lesson.id),
                )
            )  # type: ignore[attr-defined]
            for exercise in lesson.exercises:
                entries.append(
                    (
                        f"Open exercise: {exercise.title}",
                        exercise.key,
                        partial(app.open_lesson, lesson.id, exercise.id),
                    )
                )  # type: ignore[attr-defined]
        return entries

    async def discover(self) -> Hits:
        for title, help_text, callback in self._entries():
            if not title.startswith("Open exercise"):
                yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._entries():
            score = matcher.match(f"{title} {help_text}")
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
