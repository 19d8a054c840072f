"""The Textual application: a thin shell over the screens.

The app holds the :class:`~homl_tui.ui.context.AppContext`, opens the catalog,
pushes lesson screens, and adds course and lesson commands to Textual's
command palette (which also offers theme switching). While the terminal is smaller
than the layout needs, a plain message covers it (:mod:`homl_tui.ui.screens.too_small`).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import signal
import sys
import threading
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import get_current_worker

from homl_tui.store.workspace import sweep_temp_files
from homl_tui.ui.commands import CourseCommands
from homl_tui.ui.context import AppContext
from homl_tui.ui.screens.catalog import CatalogScreen
from homl_tui.ui.screens.quit import STOP, QuitScreen
from homl_tui.ui.screens.too_small import TooSmallScreen, too_small

if TYPE_CHECKING:
    from homl_tui.store.runs import RunInfo
    from homl_tui.ui.screens.lesson import LessonScreen

LESSON_MODULE = "homl_tui.ui.screens.lesson"
HANG_UP_GRACE_S = 3.0  # after SIGHUP/SIGTERM: drafts are saved, then at most this to exit
DEVICES = {
    "auto": "CUDA if there is a GPU, else Apple's MPS, else the CPU",
    "cpu": "the CPU, even when a GPU is there",
    "cuda": "an NVIDIA GPU (falls back to the CPU, with a note, if there is none)",
    "mps": "an Apple GPU (falls back to the CPU, with a note, if there is none)",
}


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
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f6", "show_runs", "Runs"),
    ]

    def __init__(self, context: AppContext, notes: Iterable[str] = ()) -> None:
        super().__init__()
        self.context = context
        self.notes = list(notes)

    def get_default_screen(self) -> Screen:
        """The catalog is the first screen (no empty default screen to lay out first)."""
        return CatalogScreen(self.context)

    def on_mount(self) -> None:
        for note in self.notes:
            self.notify(note, title="Progress store", severity="warning", timeout=15)
        self.run_worker(self._announce_runs, thread=True, name="announce-runs",
                        exit_on_error=False)  # the store's query: off the UI thread
        self.call_after_refresh(gc.freeze)  # start-up objects are here to stay: no GC scans
        if self.context.home is not None:  # what a kill -9 mid-write left: off the UI thread
            threading.Thread(target=sweep_temp_files, args=(self.context.home,),
                             name="homl-sweep", daemon=True).start()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGHUP, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self._hang_up)
        self._check_size(self.size.width, self.size.height)

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        """Cover the app with a plain message while the terminal is too small for its layout."""
        if too_small(width, height) and not any(
            isinstance(screen, TooSmallScreen) for screen in self.screen_stack
        ):
            self.push_screen(TooSmallScreen())

    def active_runs(self) -> list[RunInfo]:
        """Runs still going (runs whose process died are marked lost first)."""
        store = self.context.store
        if store is None:
            return []
        from homl_tui.runtime.detached import reap

        try:
            reap(store)
            return store.runs.list(100, active=True, kind=None)
        except Exception:  # noqa: BLE001 - a damaged history must not stop the app
            return []

    def _announce_runs(self) -> None:
        """After a restart (a dropped SSH session, say): say which runs kept going.

        Runs in a thread worker; the notice is given on the UI thread."""
        runs = self.active_runs()
        if runs and not get_current_worker().is_cancelled:
            self.call_from_thread(self._say_still_going, runs)

    def _say_still_going(self, runs: list[RunInfo]) -> None:
        names = ", ".join(f"#{r.id} {r.exercise}" for r in runs[:3])
        more = f" and {len(runs) - 3} more" if len(runs) > 3 else ""
        self.notify(
            f"Still going: {names}{more}. F6 shows your runs; open the lesson to follow "
            "the live curves.",
            title="Runs",
            timeout=12,
        )

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

    def action_show_runs(self) -> None:
        """Open the run history, or go back to it when it is already open below."""
        from homl_tui.ui.screens.runs import RunsScreen

        shown = next((s for s in self.screen_stack if isinstance(s, RunsScreen)), None)
        if shown is None:
            self.push_screen(RunsScreen(self.context))
            return
        while self.screen is not shown:
            lesson_screen = _as_lesson_screen(self.screen)
            if lesson_screen is not None:
                lesson_screen.shutdown()
            self.pop_screen()

    def open_run_dashboard(self, run_ids: list[int]) -> None:
        """Show the dashboard of recorded runs (the first is primary, the others overlaid)."""
        if not run_ids:
            return
        from homl_tui.ui.screens.run_dashboard import RunDashboardScreen

        self.push_screen(RunDashboardScreen(self.context, list(run_ids)))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        lesson_screen = _as_lesson_screen(screen)
        if lesson_screen is not None:
            for title, help_text, callback in lesson_screen.palette_commands():
                yield SystemCommand(title, help_text, callback)
        for device, what in DEVICES.items():
            mark = " (current)" if device == self.context.device else ""
            yield SystemCommand(f"Device: {device}{mark}", what, partial(self.set_device, device))

    def set_device(self, device: str) -> None:
        """Use ``device`` for the next runs, and remember it as the learner's setting."""
        self.context.device = device
        error = self.context.write(lambda store: store.set_setting("device", device))
        self.notify(f"Runs will use device: {device}" + (f" ({error})" if error else ""),
                    timeout=4)
        lesson_screen = _as_lesson_screen(self.screen)
        if lesson_screen is not None:
            lesson_screen.status.device = f"{device} (setting)"
            lesson_screen.status.refresh_line()

    async def action_quit(self) -> None:
        """Save drafts and quit; when runs are going, ask whether to keep them going."""
        runs = self.active_runs()
        if not runs or isinstance(self.screen, QuitScreen):
            self._quit()
            return
        from homl_tui.runs_cli import describe

        def answered(choice: str | None) -> None:
            if choice == STOP:
                self._stop_runs(runs)
            if choice is not None:
                self._quit()

        self.push_screen(QuitScreen([describe(info) for info in runs]), answered)

    def _stop_runs(self, runs: list[RunInfo]) -> None:
        """Ask each run's supervisor to stop (it records the run as cancelled on its own)."""
        from homl_tui.runtime.detached import request_stop

        for info in runs:
            request_stop(info)

    def _hang_up(self) -> None:
        """SIGHUP (the terminal is gone) or SIGTERM: save the drafts, then go.

        The drafts are saved at once; if Textual cannot finish its own shutdown (it may wait
        on a terminal that no longer exists), the process ends anyway after a grace period.
        """
        watchdog = threading.Timer(HANG_UP_GRACE_S, os._exit, args=(0,))
        watchdog.daemon = True
        watchdog.start()
        self._quit()

    def _quit(self) -> None:
        """Save drafts, stop runs that would not survive, exit (detached runs go on)."""
        for screen in self.screen_stack:
            lesson_screen = _as_lesson_screen(screen)
            if lesson_screen is not None:
                lesson_screen.shutdown()
        self.exit(0)
