"""The app and detached runs: quitting with runs going, coming back to them, the device setting."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import wait_until
from textual.widgets import TabbedContent

from homl_tui.course import load_course
from homl_tui.grading import spec_for
from homl_tui.runtime.detached import start_detached
from homl_tui.store import Store
from homl_tui.ui.screens.quit import QuitScreen

from .conftest import LESSONS, open_lesson, wait_for

pytestmark = pytest.mark.anyio


def start_training(data_dir: Path, monkeypatch: pytest.MonkeyPatch, seconds: float = 60) -> int:
    """A detached training run of ``stream/train``, as if an earlier app had started it."""
    monkeypatch.setenv("HOML_TEST_TRAIN_S", str(seconds))
    exercise = load_course(LESSONS).select("stream/train")[0]
    store = Store(data_dir / "homl.sqlite3")
    try:
        run_id, _ = start_detached(store, exercise.key, spec_for(exercise, exercise.solution, "run"))
        wait_until(lambda: store.runs.metrics(run_id), 20, f"the first metrics of run #{run_id}")
    finally:
        store.close()
    return run_id


def run_status(data_dir: Path, run_id: int) -> str:
    store = Store(data_dir / "homl.sqlite3")
    try:
        return store.runs.get(run_id).status
    finally:
        store.close()


async def test_quitting_with_no_runs_going_asks_nothing(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app._exit and not isinstance(app.screen, QuitScreen)


async def test_quitting_keeps_runs_going_by_default(make_app, data_dir, monkeypatch) -> None:
    run_id = start_training(data_dir, monkeypatch)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuitScreen), what="the question")
        assert f"#{run_id}" in str(app.screen.query_one("#question").render())
        await pilot.press("k")
        await pilot.pause()
        assert app._exit
    assert run_status(data_dir, run_id) == "running"


async def test_quitting_can_stop_the_runs(make_app, data_dir, monkeypatch) -> None:
    run_id = start_training(data_dir, monkeypatch)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuitScreen), what="the question")
        await pilot.press("s")
        await pilot.pause()
        assert app._exit
    deadline = time.monotonic() + 10
    while run_status(data_dir, run_id) == "running" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert run_status(data_dir, run_id) == "cancelled"


async def test_escape_at_the_question_stays_in_the_app(make_app, data_dir, monkeypatch) -> None:
    start_training(data_dir, monkeypatch)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuitScreen), what="the question")
        await pilot.press("escape")
        await pilot.pause()
        assert not app._exit and not isinstance(app.screen, QuitScreen)


async def test_the_app_says_which_runs_kept_going_and_the_lesson_reattaches(
        make_app, data_dir, monkeypatch) -> None:
    run_id = start_training(data_dir, monkeypatch)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app._notifications, what="the notice")
        messages = [n.message for n in app._notifications]
        assert any(f"Still going: #{run_id} stream/train" in m for m in messages), messages
        await open_lesson(pilot, "stream", "train")
        screen = app.screen
        await wait_for(pilot, lambda: screen.session is not None, what="the re-attached run")
        assert screen.session.run_id == run_id and screen.session.detached
        await wait_for(pilot, lambda: len(screen.metrics.series.get("train_loss", [])) > 3,
                       what="the curve so far")
        seen = len(screen.metrics.series["train_loss"])
        await wait_for(pilot, lambda: len(screen.metrics.series["train_loss"]) > seen,
                       what="live points after re-attaching")
        assert screen.query_one(TabbedContent).active == "tab-metrics"
        assert screen.status.state.startswith("running")


async def test_the_device_setting_is_remembered_and_used(make_app, data_dir) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.set_device("cpu")
        await pilot.pause()
        assert app.context.device == "cpu"
    store = Store(data_dir / "homl.sqlite3")
    try:
        assert store.setting("device") == "cpu"
    finally:
        store.close()
    from homl_tui.ui.launch import create_app

    again = create_app(LESSONS, data_dir)
    assert again.context.device == "cpu"
    again.context.store.close()
    assert create_app(LESSONS, data_dir, "cuda").context.device == "cuda"  # --device wins


async def test_the_reference_curve_is_run_once_then_reused(make_app, data_dir) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "stream", "descend")
        screen = app.screen
        screen.editor.load_text((LESSONS / "02_stream/exercises/descend/solution.py")
                                .read_text(encoding="utf-8"))
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.last_session is not None, what="the run")
        await pilot.press("f4")
        screen.metrics.focus()
        await pilot.press("g")
        ghost = screen.metrics.model.runs.get("reference")
        assert ghost is not None and ghost.ghost
        await wait_for(pilot, lambda: "loss" in ghost.series
                       and len(ghost.series["loss"].points) == 40, what="the ghost")
        first = screen.metrics.model.runs["reference"].label
        await pilot.press("ctrl+r")  # a new run keeps the reference curve
        await wait_for(pilot, lambda: screen.session is None and screen.last_session.end,
                       what="the second run")
        assert "reference" in screen.metrics.model.runs
    store = Store(data_dir / "homl.sqlite3")
    try:
        references = store.runs.list(kind="reference")
        assert len(references) == 1 and first == f"reference #{references[0].id}"
    finally:
        store.close()


async def test_the_runs_dashboard_overlays_two_recorded_runs(make_app, data_dir) -> None:
    exercise = load_course(LESSONS).select("stream/descend")[0]
    store = Store(data_dir / "homl.sqlite3")
    ids = []
    for lr in (0.1, 0.3):
        run_id = store.runs.create(exercise.key, "run")
        store.runs.update(run_id, config={"lr": lr})
        store.runs.record(run_id, metrics=[(s, "loss", 9 * (1 - 2 * lr) ** (2 * s))
                                           for s in range(30)])
        store.runs.finish(run_id, "ok")
        ids.append(run_id)
    store.close()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_run_dashboard(ids)
        await wait_for(pilot, lambda: type(app.screen).__name__ == "RunDashboardScreen",
                       what="the dashboard")
        dashboard = app.screen.dashboard
        await wait_for(pilot, lambda: len(dashboard.model.runs) == 2, what="both runs")
        assert all(len(run.series["loss"].points) == 30 for run in dashboard.model.runs.values())
        labels = [run.label for run in dashboard.model.runs.values()]
        assert f"#{ids[1]} lr=0.3" in labels
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ != "RunDashboardScreen",
                       what="back")


async def test_the_app_start_sweeps_old_temporary_files_of_killed_writes(make_app, data_dir):
    import os

    from homl_tui.store.workspace import STALE_TEMP_S

    folder = data_dir / "checkpoints" / "demo" / "add" / "run-3"
    folder.mkdir(parents=True)
    old, young = folder / ".checkpoint.pt.123.tmp", folder / ".checkpoint.pt.456.tmp"
    kept = folder / "checkpoint.pt"
    for path in (old, young, kept):
        path.write_bytes(b"x")
    stale = time.time() - 2 * STALE_TEMP_S
    for path in (old, kept):
        os.utime(path, (stale, stale))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: not old.exists(), what="the sweep")
    assert young.exists() and kept.exists()
