"""The lesson workspace: text, code editor, output, live metrics, plots and rollouts.

Layout (usable at 80x24 with the keyboard only): a narrow, toggleable exercise
list on the left, a ``TabbedContent`` with one tab per panel, a status line and
the footer. Runs are :class:`~homl_tui.ui.session.RunSession` objects polled by a
0.1 s timer; each tick redraws each panel at most once and only if its data
changed. The editor autosaves about a second after the last keystroke; the
learner's file is watched so that an external editor's save reloads the editor
and re-checks.
"""

from __future__ import annotations

import gc
import importlib
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from rich.text import Text
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import (
    Footer,
    Markdown,
    OptionList,
    ProgressBar,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)

from homl_tui.course import Exercise, Lesson
from homl_tui.outcome import Outcome
from homl_tui.runtime.batch import Batch
from homl_tui.store import why_not_written
from homl_tui.store.runs import RunInfo
from homl_tui.ui.context import AppContext, exercise_mark
from homl_tui.ui.draft import DraftFile
from homl_tui.ui.ghost import start_ghost
from homl_tui.ui.lesson_text import lesson_markdown
from homl_tui.ui.screens.confirm import ConfirmScreen
from homl_tui.ui.screens.solution import SolutionScreen
from homl_tui.ui.session import RunSession
from homl_tui.ui.widgets.dashboard import Dashboard
from homl_tui.ui.widgets.exercise_list import ExerciseList
from homl_tui.ui.widgets.output_panel import OutputPanel
from homl_tui.ui.widgets.plot_panel import PlotPanel
from homl_tui.ui.widgets.rollout_panel import RolloutPanel
from homl_tui.ui.widgets.status_line import StatusLine

TICK_S = 0.1
WATCH_S = 0.75
AUTOSAVE_S = 1.0
WIDE = 120  # columns from which the exercise list gets more room
TABS = ("tab-text", "tab-code", "tab-output", "tab-metrics", "tab-rollout")
PaletteCommand = tuple[str, str, Callable[[], object]]


class LessonScreen(Screen[None]):
    """One lesson: read it, edit the exercise files, run and check them."""

    DEFAULT_CSS = """
    LessonScreen #lesson-body { height: 1fr; }
    LessonScreen #sidebar { width: 24; border-right: solid $primary-darken-2; }
    LessonScreen.-wide #sidebar { width: 34; }
    LessonScreen #sidebar.-hidden { display: none; }
    LessonScreen #sidebar-title { height: 1; padding: 0 1; text-style: bold; background: $boost; }
    LessonScreen TabbedContent { width: 1fr; height: 1fr; }
    LessonScreen TabPane { padding: 0; height: 1fr; }
    LessonScreen #text-scroll { height: 1fr; padding: 0 1; }
    LessonScreen #exercise-header { height: auto; max-height: 3; padding: 0 1;
                                    background: $boost; }
    LessonScreen #editor { height: 1fr; border: none; }
    LessonScreen #status-bar { height: 1; }
    LessonScreen #progress { width: 22; height: 1; display: none; }
    LessonScreen #progress.-shown { display: block; }
    """
    BINDINGS = [
        Binding("ctrl+r", "run", "Run", priority=True),
        Binding("ctrl+t", "check", "Check", priority=True),
        Binding("ctrl+g", "hint", "Hint", priority=True),
        Binding("ctrl+o", "reveal", "Solution", priority=True),
        Binding("ctrl+s", "save", "Save", show=False, priority=True),
        Binding("ctrl+b", "toggle_sidebar", "Exercises", priority=True),
        Binding("escape", "escape", "Back", priority=True),
        *(
            Binding(
                f"f{i},alt+{i}",
                f"show_tab('{tab}')",
                tab.removeprefix("tab-").title(),
                show=False,
                priority=True,
            )
            for i, tab in enumerate(TABS, start=1)
        ),
    ]

    def __init__(self, context: AppContext, lesson: Lesson, exercise_id: str | None = None) -> None:
        super().__init__()
        self.context = context
        self.lesson = lesson
        self.exercise: Exercise | None = None
        self.draft: DraftFile | None = None
        self.session: RunSession | None = None
        self.last_session: RunSession | None = None
        self._initial_exercise = exercise_id
        self._hint_level = 0
        self._pending_recheck = False
        self._save_timer: Timer | None = None
        self._poll_timer: Timer | None = None
        self._told_elsewhere: set[Path] = set()

    # ---------------------------------------------------------------- compose
    def compose(self) -> ComposeResult:
        with Horizontal(id="lesson-body"):
            with Vertical(id="sidebar"):
                yield Static("Exercises  ^b", id="sidebar-title")
                yield ExerciseList(id="exercises")
            with TabbedContent(id="panels", initial="tab-text"):
                with TabPane("F1 Text", id="tab-text"), VerticalScroll(id="text-scroll"):
                    yield Markdown(self._markdown(), id="lesson-text")
                with TabPane("F2 Code", id="tab-code"):
                    yield Static(id="exercise-header")
                    yield TextArea.code_editor(language="python", id="editor")
                with TabPane("F3 Output", id="tab-output"):
                    yield OutputPanel(id="output")
                with TabPane("F4 Metrics", id="tab-metrics"):
                    yield Dashboard(id="metrics")
                    yield PlotPanel(id="plots")
                with TabPane("F5 Rollout", id="tab-rollout"):
                    yield RolloutPanel(id="rollout")
        with Horizontal(id="status-bar"):
            yield StatusLine(self.context.device, id="status")
            yield ProgressBar(id="progress", show_eta=False)
        yield Footer()

    def _markdown(self) -> str:
        progress = self.context.progress()
        marks = {e.id: exercise_mark(progress.get(e.key)) for e in self.lesson.exercises}
        return f"*{self.lesson.chapter}*\n\n" + lesson_markdown(self.lesson, marks)

    def on_mount(self) -> None:
        self.title = self.lesson.title
        self.query_one(ExerciseList).show_exercises(self.lesson, self.context.progress())
        self._poll_timer = self.set_interval(TICK_S, self._tick, pause=True)
        self.set_interval(WATCH_S, self._watch_disk)
        first = self._initial_exercise or (
            self.lesson.exercises[0].id if self.lesson.exercises else None
        )
        exercise = self.lesson.exercise(first) if first else None
        if exercise is None:
            self.query_one("#exercise-header", Static).update(
                Text("This lesson has no exercises.", style="italic")
            )
            self.query_one(TextArea).read_only = True
        else:
            self.load_exercise(exercise)
        if self._initial_exercise:
            self.action_show_tab("tab-code")
        else:
            self.query_one("#text-scroll").focus()
        self._attach_active_run()
        # The lesson's widgets live as long as the screen: keep them out of the garbage
        # collector's full passes (45-65 ms each while a run streams).
        self.call_after_refresh(gc.freeze)

    def on_unmount(self) -> None:
        gc.unfreeze()  # this screen's widgets may go now; the next screen freezes its own

    def on_resize(self) -> None:
        self.set_class(self.size.width >= WIDE, "-wide")

    # ------------------------------------------------------------- widgets
    @property
    def editor(self) -> TextArea:
        return self.query_one("#editor", TextArea)

    @property
    def output(self) -> OutputPanel:
        return self.query_one(OutputPanel)

    @property
    def metrics(self) -> Dashboard:
        return self.query_one(Dashboard)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    @property
    def path(self) -> Path | None:
        """The learner's file for the current exercise (None if it could not be opened)."""
        return self.draft.path if self.draft else None

    @property
    def running(self) -> bool:
        return self.session is not None

    def _notify_error(self, message: str) -> None:
        self.notify(message, severity="error", timeout=8)

    # ------------------------------------------------------------- exercises
    def load_exercise(self, exercise: Exercise) -> None:
        """Show ``exercise`` in the editor (created from its starter on first use)."""
        self.save_now()
        if exercise is not self.exercise:
            self.metrics.drop_reference()
        self.exercise, self.draft = exercise, None
        number = self.lesson.exercises.index(exercise) + 1
        header = Text.assemble(
            (f"Exercise {number}/{len(self.lesson.exercises)} · ", "dim"), (exercise.title, "bold")
        )
        if exercise.prompt:
            header.append(f" — {exercise.prompt}")
        self.query_one("#exercise-header", Static).update(header)
        try:
            self.draft = DraftFile(self.context.workspace, exercise, self.context.scratch)
        except (OSError, UnicodeDecodeError) as exc:
            self._load_editor("", read_only=True)
            self._notify_error(f"Cannot open your file for {exercise.key}: {exc}")
            return
        self._say_where_saved()
        self._load_editor(self.draft.text, read_only=False)
        progress = self.context.progress().get(exercise.key)
        self._hint_level = progress.hint_level if progress else 0
        self.output.hints.show_hints(exercise.hints, self._hint_level)
        self.output.result.clear_result()
        last = None
        if progress and progress.last_outcome:
            last = Outcome.PASS if progress.passed else Outcome.parse(progress.last_outcome)
        self.status.set_outcome(last)
        self.status.set_exercise(exercise.key)
        self.query_one(ExerciseList).show_exercises(
            self.lesson, self.context.progress(), exercise.id
        )

    def _load_editor(self, text: str, *, read_only: bool) -> None:
        editor = self.editor
        cursor = editor.cursor_location
        editor.read_only = read_only
        editor.load_text(text)
        row = min(cursor[0], editor.document.line_count - 1)
        editor.move_cursor((row, 0))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        exercise = self.lesson.exercise(event.option.id or "")
        if exercise is not None and exercise is not self.exercise:
            self.load_exercise(exercise)
        self.action_show_tab("tab-code")

    # ----------------------------------------------------------------- drafts
    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id != "editor" or self.draft is None:
            return
        self._stop_autosave()
        if event.text_area.text != self.draft.text:
            self._save_timer = self.set_timer(AUTOSAVE_S, self.save_now)

    def _stop_autosave(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None

    def save_now(self) -> bool:
        """Write the editor to the learner's file (atomic) if it differs; False on failure."""
        self._stop_autosave()
        if self.draft is None or not self.is_mounted:
            return True
        try:
            self.draft.save(self.editor.text)
        except OSError as exc:
            self._notify_error(f"Could not save {self.draft.path.name}: {why_not_written(exc)}.")
            return False
        self._say_where_saved()
        return True

    def _say_where_saved(self) -> None:
        """Once per file: say that it is kept outside the workspace, where, and why."""
        draft = self.draft
        if draft is None or not draft.elsewhere or draft.path in self._told_elsewhere:
            return
        self._told_elsewhere.add(draft.path)
        self.notify(
            f"Your work cannot be saved in your data folder ({draft.elsewhere}). "
            f"{draft.path.name} is kept in {draft.path} for this session, and runs and "
            "checks use it: copy it somewhere safe to keep it.",
            title="Saved elsewhere",
            severity="warning",
            timeout=20,
        )

    def _watch_disk(self) -> None:
        """Reload the editor when another program changed the file, then re-check it."""
        draft = self.draft
        if draft is None:
            return
        try:
            text = draft.external_change()
        except (OSError, UnicodeDecodeError) as exc:
            self._notify_error(f"{draft.path.name} changed on disk but cannot be read: {exc}")
            return
        editor_text = self.editor.text
        if text is None or text == editor_text:
            if text is not None:
                draft.accept(text)
            return
        if editor_text != draft.text:
            try:
                kept = draft.keep_draft(editor_text)
                self.notify(
                    f"{draft.path.name} changed on disk; your unsaved editor text is "
                    f"kept in {kept.name}.",
                    severity="warning",
                    timeout=10,
                )
            except OSError as exc:
                self._notify_error(f"Could not keep your unsaved text: {exc}")
        self._stop_autosave()
        draft.accept(text)
        self._load_editor(text, read_only=False)
        self.notify(f"{draft.path.name} changed on disk: reloaded, checking it again.")
        if self.running:
            self._pending_recheck = True
        else:
            self.start_session("check")

    # ------------------------------------------------------------------- runs
    def start_session(self, mode: str) -> None:
        """Run (``run``) or check (``check``) the current exercise file."""
        if self.exercise is None or self.draft is None:
            self.notify("No exercise file to run here.", severity="warning")
            return
        if self.session is not None:
            self.notify("A run is still going: press Esc to cancel it.", severity="warning")
            return
        if not self.save_now():
            self.notify("Running the last saved version of your file.", severity="warning")
        self._reset_panels(mode)
        session = RunSession(
            self.exercise,
            self.draft.path,
            mode,
            store=self.context.store,
            data_dir=self.context.data_dir,
            device=self.context.device,
            on_store_error=self._notify_error,
            log_dir=self.context.runs_dir,
            checkpoint_dir=self.context.checkpoint_dir(self.exercise),
        )
        try:
            session.start()
        except Exception as exc:  # noqa: BLE001 - shown to the learner, never a traceback
            self.output.result.show_message(f"Could not start the run: {exc}", error=True)
            return
        self._follow(session)
        if self.query_one(TabbedContent).active in ("tab-text", "tab-code"):
            self.query_one(TabbedContent).active = "tab-output"

    def _follow(self, session: RunSession) -> None:
        if "plotext" not in sys.modules:  # the charts' library: load it while the run starts
            threading.Thread(target=importlib.import_module, args=("plotext",),
                             daemon=True).start()
        self.session = session
        self.status.set_state(f"running {int(session.elapsed_s)}s")
        if self._poll_timer is not None:
            self._poll_timer.resume()

    def attach_run(self, info: RunInfo) -> bool:
        """Follow a run recorded earlier (still going, or finished: its history is shown)."""
        exercise = self.lesson.exercise(info.exercise.partition("/")[2])
        store = self.context.store
        if exercise is None or store is None or self.session is not None:
            return False
        if exercise is not self.exercise:
            self.load_exercise(exercise)
        self._reset_panels(info.mode)
        self._follow(RunSession.attach(store, info, exercise))
        self.notify(f"Following run #{info.id} ({info.status}).", timeout=3)
        return True

    def _attach_active_run(self) -> None:
        """Re-attach to this exercise's newest run that is still going (after a restart)."""
        store = self.context.store
        if store is None or self.exercise is None or self.session is not None:
            return
        try:
            active = store.runs.list(1, exercise=self.exercise.key, active=True)
        except Exception:  # noqa: BLE001 - no history is not worth an error here
            return
        if active and self.attach_run(active[0]):
            tab = "tab-metrics" if active[0].mode == "run" else "tab-output"
            self.call_after_refresh(self.action_show_tab, tab)  # after the editor took focus

    def _reset_panels(self, mode: str) -> None:
        self.output.clear_output()
        self.output.result.show_message("Checking…" if mode == "check" else "Running…")
        self.metrics.begin("checking" if mode == "check" else "running")
        self.query_one(PlotPanel).clear_plots()
        self.metrics.display = True
        self.query_one(RolloutPanel).clear_frame()
        self.query_one("#progress", ProgressBar).set_class(False, "-shown")

    def _tick(self) -> None:
        ghost_changed = self.metrics.poll_reference()
        session = self.session
        if session is None:
            if ghost_changed:
                self.metrics.request_refresh()
            if self.metrics.reference is None and self._poll_timer is not None:
                self._poll_timer.pause()
            return
        batch = session.poll()
        if not batch.empty:
            self.apply_batch(batch)
        if session.finished:
            self._finish(session, batch)
        else:
            self.status.set_state(f"running {int(session.elapsed_s)}s")

    def on_dashboard_ghost_requested(self, event: Dashboard.GhostRequested) -> None:
        """Draw the reference solution's curve (recorded earlier, or run now) as a ghost."""
        ghost, message = start_ghost(self.context, self.exercise)
        if ghost is None:
            self.notify(message, severity="warning")
            return
        event.dashboard.follow_reference(ghost)
        self.notify(message, timeout=4)
        if self._poll_timer is not None:
            self._poll_timer.resume()

    def apply_batch(self, batch: Batch) -> None:
        """Redraw each panel once for everything that arrived in one tick."""
        self.output.write_output(batch.output)
        if self.metrics.apply_batch(batch):
            self.metrics.request_refresh()
        plots = self.query_one(PlotPanel)
        if plots.update_plots(batch.plots):
            plots.refresh()
        # Plots alone get the whole tab; the empty metrics hint only shows when nothing came.
        show_metrics = bool(self.metrics.series) or not plots.plots
        if self.metrics.display != show_metrics:  # no relayout on every tick
            self.metrics.display = show_metrics
        if batch.frame is not None:
            self.query_one(RolloutPanel).show_frame(batch.frame)
        if batch.progress is not None:
            self._show_progress(batch.progress)
        if batch.device is not None:
            self.status.set_device(*batch.device)
        if batch.check is not None:
            outcome = Outcome.parse(batch.check.get("outcome"))
            self.output.result.show_result(
                outcome, str(batch.check.get("message", "")), str(batch.check.get("details", ""))
            )

    def _show_progress(self, event: dict[str, object]) -> None:
        bar = self.query_one("#progress", ProgressBar)
        try:
            total, done = float(event.get("total", 0)), float(event.get("done", 0))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return
        bar.set_class(True, "-shown")
        bar.update(total=total if total > 0 else None, progress=done)

    def _finish(self, session: RunSession, batch: Batch) -> None:
        if self._poll_timer is not None and self.metrics.reference is None:
            self._poll_timer.pause()  # else it pauses once the reference run ended
        self.session, self.last_session = None, session
        end = batch.end or {}
        status = str(end.get("status", "error"))
        seconds = float(end.get("duration_s", session.elapsed_s))
        self.status.set_state(f"finished ({status}) {seconds:.1f}s")
        self._point_at_charts()
        if session.mode == "run":
            good = status == "ok"
            self.output.result.show_message(
                f"Run {'finished' if good else status}: {end.get('message', '')} ({seconds:.1f} s)",
                error=not good,
            )
        elif end.get("outcome"):
            outcome = Outcome.parse(end["outcome"])
            self.status.set_outcome(outcome)
            if session.check is None:
                self.output.result.show_result(outcome, str(end.get("message", "")))
            if outcome is Outcome.PASS and self.exercise is not None:
                self.notify(f"✔ {self.exercise.title}: passed!")
            self.query_one(ExerciseList).show_exercises(self.lesson, self.context.progress())
        if self._pending_recheck:
            self._pending_recheck = False
            self.start_session("check")

    def _point_at_charts(self) -> None:
        """Say so when a run drew charts the learner is not looking at."""
        if self.query_one(TabbedContent).active == "tab-metrics":
            return
        n_plots, n_curves = len(self.query_one(PlotPanel).plots), len(self.metrics.series)
        if not (n_plots or n_curves):
            return
        parts = [f"{n} {word}{'s' if n != 1 else ''}"
                 for n, word in ((n_plots, "plot"), (n_curves, "curve")) if n]
        self.notify(f"{' and '.join(parts)} in the Metrics tab (F4)", timeout=4)

    def cancel_run(self) -> None:
        if self.session is not None:
            self.session.cancel()
            self.output.result.show_message("Cancelling…")

    # ---------------------------------------------------------------- actions
    def action_run(self) -> None:
        self.start_session("run")

    def action_check(self) -> None:
        self.start_session("check")

    def action_save(self) -> None:
        if self.save_now() and self.path is not None:
            self.notify(f"Saved {self.path.name}", timeout=2)

    def action_escape(self) -> None:
        if self.running:
            self.cancel_run()
            return
        if self.focused is self.editor:
            raise SkipAction()  # the editor's escape moves focus out of it
        self.action_back()

    def action_back(self) -> None:
        self.shutdown()
        self.app.pop_screen()

    def shutdown(self) -> None:
        """Save the draft; stop a run that would not survive the app (leaving or quitting).

        A detached run keeps going: the runs screen (and this lesson, reopened) follows it.
        """
        if self.session is not None:
            if not self.session.detached:
                self.session.cancel()
            self.session = None
        self.save_now()

    def action_hint(self) -> None:
        exercise = self.exercise
        if exercise is None:
            return
        if self._hint_level >= len(exercise.hints):
            self.notify(
                "That was the last hint. ctrl+o shows the reference solution.", severity="warning"
            )
            return
        self._hint_level += 1
        self.output.hints.show_hints(exercise.hints, self._hint_level)
        level = self._hint_level
        error = self.context.write(lambda store: store.use_hint(exercise.key, level))
        if error:
            self._notify_error(error)
        self.query_one(TabbedContent).active = "tab-output"

    def action_reveal(self) -> None:
        exercise = self.exercise
        if exercise is None:
            return
        question = (
            f"Show the reference solution of “{exercise.title}”?\n\n"
            "Try the hints first (ctrl+g). Seeing the solution is recorded in your "
            "progress; your own file is only changed if you choose to copy it in."
        )
        self.app.push_screen(
            ConfirmScreen(question, confirm="Show solution"),
            lambda yes: self._reveal(exercise) if yes else None,
        )

    def _reveal(self, exercise: Exercise) -> None:
        try:
            source = exercise.solution.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self._notify_error(f"Cannot read the solution of {exercise.key}: {exc}")
            return
        error = self.context.write(lambda store: store.reveal_solution(exercise.key))
        if error:
            self._notify_error(error)
        self.app.push_screen(
            SolutionScreen(exercise.title, source),
            lambda use: self._use_solution(exercise, source) if use else None,
        )

    def _use_solution(self, exercise: Exercise, source: str) -> None:
        draft = self.draft
        if exercise is not self.exercise or draft is None:
            return
        try:
            backup = draft.replace(source, self.editor.text)
        except OSError as exc:
            self._notify_error(f"Could not write {draft.path.name}: {exc}")
            return
        self._load_editor(source, read_only=False)
        self.notify(f"Your file now holds the solution; your text is in {backup.name}.")

    def action_toggle_sidebar(self) -> None:
        sidebar = self.query_one("#sidebar")
        sidebar.toggle_class("-hidden")
        if not sidebar.has_class("-hidden"):
            self.query_one(ExerciseList).focus()
        elif self.focused is None or not self.focused.display:
            self.action_show_tab(self.query_one(TabbedContent).active or "tab-text")

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        if tab == "tab-code":
            self.editor.focus()
        elif tab == "tab-text":
            self.query_one("#text-scroll").focus()

    # ----------------------------------------------------------------- palette
    def palette_commands(self) -> Iterator[PaletteCommand]:
        """Commands this screen adds to the command palette."""
        yield "Run exercise", "Run your file's __main__ block (ctrl+r)", self.action_run
        yield "Check exercise", "Check your file (ctrl+t)", self.action_check
        yield "Cancel run", "Stop the running exercise (esc)", self.cancel_run
        yield "Next hint", "Show the next hint (ctrl+g)", self.action_hint
        yield "Reveal solution", "Show the reference solution (ctrl+o)", self.action_reveal
        yield (
            "Toggle exercise list",
            "Show or hide the sidebar (ctrl+b)",
            self.action_toggle_sidebar,
        )
        yield "Back to catalog", "Leave this lesson (esc)", self.action_back
        for exercise in self.lesson.exercises:
            yield (
                f"Exercise: {exercise.title}",
                f"Open {exercise.key} in the editor",
                lambda e=exercise: self._open_exercise(e),
            )

    def _open_exercise(self, exercise: Exercise) -> None:
        if exercise is not self.exercise:
            self.load_exercise(exercise)
        self.action_show_tab("tab-code")
