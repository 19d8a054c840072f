"""Command palette provider: open any lesson or exercise by name."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class CourseCommands(Provider):
    """``Open lesson: …`` and ``Open exercise: …`` entries for the whole course."""

    def _entries(self) -> list[tuple[str, str, partial[None]]]:
        app = self.app
        course = app.context.course  # type: ignore[attr-defined]
        entries = []
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
            if title.startswith("Open lesson"):
                yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._entries():
            score = matcher.match(f"{title} {help_text}")
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
