"""The lesson screen: editing, running, checking, hints, solutions, cancel, external edits."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.widgets import Markdown, TabbedContent

from homl_tui.outcome import Outcome
from homl_tui.ui.screens import lesson as lesson_module
from homl_tui.ui.screens.confirm import ConfirmScreen
from homl_tui.ui.screens.lesson import LessonScreen
from homl_tui.ui.screens.solution import SolutionScreen

from .conftest import DEMO_SOLUTION, STREAM_SOLUTION, open_lesson, wait_for

pytestmark = pytest.mark.anyio

LONG_RUN = """import time

if __name__ == "__main__":
    print("started", flush=True)
    time.sleep(120)
"""


def _screen(app) -> LessonScreen:
    assert isinstance(app.screen, LessonScreen)
    return app.screen


async def _finish(pilot, screen: LessonScreen, timeout: float = 20.0) -> None:
    await wait_for(pilot, lambda: not screen.running, timeout, what="the run to end")
    await pilot.pause()


def _bump(path: Path, text: str) -> None:
    """Write ``text`` like another editor would, with a clearly newer mtime."""
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


async def test_lesson_text_shows_a_callout_for_each_exercise(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "demo")
        source = _screen(app).query_one(Markdown).source
        assert "::: exercise" not in source
        assert "Exercise 1: Add two arrays" in source


async def test_the_editor_holds_the_learners_workspace_file(make_app, data_dir: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "demo")
        screen = _screen(app)
        assert screen.path == data_dir / "workspace" / "demo" / "add.py"
        assert screen.editor.text == screen.path.read_text(encoding="utf-8")
        await pilot.press("f2")
        assert screen.query_one(TabbedContent).active == "tab-code"
        assert app.focused is screen.editor


async def test_typing_autosaves_the_file_after_a_pause(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "demo")
        screen = _screen(app)
        await pilot.press("f2", *"# note", "enter")
        assert "# note" in screen.editor.text
        await wait_for(
            pilot,
            lambda: "# note" in screen.path.read_text(encoding="utf-8"),
            timeout=5,
            what="the autosave",
        )


async def test_run_streams_metrics_frames_and_plots(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "stream")
        screen = _screen(app)
        screen.editor.load_text(STREAM_SOLUTION.read_text(encoding="utf-8"))
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.last_session is not None, what="the run")
        assert len(screen.metrics.series["loss"]) == 40
        assert screen.query_one("#rollout").frame["step"] == 29
        assert "w per step" in screen.query_one("#plots").plots
        assert "w = 2.9996" in "\n".join(screen.output.log_widget.lines)
        assert "finished (ok)" in screen.status.state
        (run,) = app.context.store.runs.list()
        assert (run.mode, run.status, run.exercise) == ("run", "ok", "stream/descend")
        metrics = app.context.store.runs.metrics(run.id)
        assert len(metrics["loss"]) == 40


PLOTS_ONLY = """from homl_tui import report

if __name__ == "__main__":
    report.plot("cm", [[3, 1], [0, 4]], ["a", "b"], kind="matrix")
    report.plot("line", [1, 2, 3])
"""


async def test_a_run_with_plots_only_gives_them_the_whole_tab_and_says_where(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "stream")
        screen = _screen(app)
        screen.editor.load_text(PLOTS_ONLY)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.last_session is not None, what="the run")
        await pilot.pause()
        assert set(screen.query_one("#plots").plots) == {"cm", "line"}
        assert screen.metrics.display is False
        messages = [n.message for n in app._notifications]
        assert any("2 plots in the Metrics tab (F4)" in m for m in messages), messages
        # The next run starts with the metrics panel back, ready for curves.
        screen.editor.load_text(STREAM_SOLUTION.read_text(encoding="utf-8"))
        await pilot.press("f4", "ctrl+r")
        await wait_for(pilot, lambda: screen.metrics.series.get("loss"), what="the curve")
        assert screen.metrics.display is True


async def test_check_of_the_solution_passes_and_is_recorded(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "demo")
        screen = _screen(app)
        solution = DEMO_SOLUTION.read_text(encoding="utf-8")
        screen.editor.load_text(solution)
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: screen.last_session is not None, what="the check")
        assert screen.output.result.outcome is Outcome.PASS
        assert screen.status.outcome is Outcome.PASS
        assert app.context.store.progress("demo/add").passed
        assert screen.path.read_text(encoding="utf-8") == solution  # saved before the check
        assert "✔" in str(screen.query_one("#exercises").options[0].prompt)


async def test_check_of_the_untouched_starter_is_not_attempted(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "demo")
        screen = _screen(app)
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: screen.last_session is not None, what="the check")
        assert screen.output.result.outcome is Outcome.NOT_ATTEMPTED
        assert app.context.store.progress("demo/add").last_outcome == "NOT_ATTEMPTED"


async def test_next_hint_shows_the_hints_one_level_at_a_time(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "demo")
        screen = _screen(app)
        hints = screen.exercise.hints
        await pilot.press("ctrl+g")
        assert screen.output.hints.shown == [hints[0]]
        assert app.context.store.progress("demo/add").hint_level == 1
        await pilot.press("ctrl+g")
        assert screen.output.hints.shown == list(hints[:2])
        assert app.context.store.progress("demo/add").hint_level == 2
        assert screen.query_one(TabbedContent).active == "tab-output"


async def test_reveal_solution_asks_first_and_records_the_reveal(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "demo")
        screen = _screen(app)
        before = screen.path.read_text(encoding="utf-8")
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is screen, what="the lesson again")
        assert not app.context.store.progress("demo/add").revealed
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, SolutionScreen), what="solution")
        assert "return a + b" in app.screen.query_one("#solution-code").text
        assert app.context.store.progress("demo/add").revealed
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, what="the lesson again")
        assert screen.path.read_text(encoding="utf-8") == before


async def test_choosing_to_use_the_solution_keeps_a_backup(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "demo")
        screen = _screen(app)
        before = screen.path.read_text(encoding="utf-8")
        await pilot.press("ctrl+o", "y")
        await wait_for(pilot, lambda: isinstance(app.screen, SolutionScreen), what="solution")
        await pilot.click("#use")
        await wait_for(pilot, lambda: app.screen is screen, what="the lesson again")
        assert screen.editor.text == DEMO_SOLUTION.read_text(encoding="utf-8")
        assert screen.path.with_suffix(".py.bak").read_text(encoding="utf-8") == before


async def test_escape_cancels_a_long_run_and_the_child_is_gone(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "demo")
        screen = _screen(app)
        screen.editor.load_text(LONG_RUN)
        await pilot.press("ctrl+r")
        await wait_for(
            pilot,
            lambda: "started" in "".join(screen.output.log_widget.lines),
            what="the child to start",
        )
        await wait_for(pilot, lambda: screen.session.info and screen.session.info.worker_pid,
                       what="the worker's pid")
        pid = screen.session.info.worker_pid
        await pilot.press("escape")
        await _finish(pilot, screen, timeout=10)
        assert screen.last_session.end["status"] == "cancelled"
        assert isinstance(app.screen, LessonScreen)  # escape cancelled, it did not leave
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


async def test_an_external_edit_reloads_the_editor_and_rechecks(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "demo")
        screen = _screen(app)
        solution = DEMO_SOLUTION.read_text(encoding="utf-8")
        _bump(screen.path, solution)
        await wait_for(pilot, lambda: screen.editor.text == solution, what="the reload")
        await wait_for(pilot, lambda: screen.last_session is not None, what="the re-check")
        await _finish(pilot, screen)
        assert screen.last_session.mode == "check"
        assert screen.output.result.outcome is Outcome.PASS


async def test_an_external_edit_keeps_unsaved_editor_text_in_a_draft(
    make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lesson_module, "AUTOSAVE_S", 60.0)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "demo")
        screen = _screen(app)
        screen.editor.load_text("# my unsaved work\n")
        await pilot.pause()
        _bump(screen.path, DEMO_SOLUTION.read_text(encoding="utf-8"))
        draft = screen.path.with_suffix(".py.draft")
        await wait_for(pilot, draft.exists, what="the draft backup")
        assert draft.read_text(encoding="utf-8") == "# my unsaved work\n"
        assert screen.editor.text == DEMO_SOLUTION.read_text(encoding="utf-8")
        await _finish(pilot, screen)


async def test_at_80_columns_the_footer_keeps_the_lessons_keys_with_the_dashboard_focused(
    make_app,
) -> None:
    from textual.widgets._footer import FooterKey

    from homl_tui.ui.widgets.dashboard import Dashboard

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "demo")
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.focused, Dashboard)
        shown = [key.description for key in app.screen.query(FooterKey)
                 if key.region.width and key.region.right <= 80 - len(" ^p palette")]
        assert {"Run", "Check", "Hint", "Solution"} <= set(shown), shown
        assert "Smooth" not in shown  # the dashboard shows its own keys, on its last line
        await pilot.press("s")  # ... and they work
        assert app.focused.smoothing_index == 1
