"""The runs screen: the run history, live, with real detached runs of the fixture's training
exercise (``stream/train``, which trains for ``HOML_TEST_TRAIN_S`` seconds and checkpoints)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import stop_active_runs
from textual.pilot import Pilot

from homl_tui.grading import spec_for
from homl_tui.runtime.detached import STOP_WAIT_S, start_detached
from homl_tui.store import Store
from homl_tui.ui import app as ui_app
from homl_tui.ui.app import HomlApp
from homl_tui.ui.context import AppContext
from homl_tui.ui.screens.catalog import CatalogScreen
from homl_tui.ui.screens.confirm import ConfirmScreen
from homl_tui.ui.screens.runs import EMPTY_TEXT, NO_STORE_TEXT, RunsScreen

from .conftest import wait_for

pytestmark = pytest.mark.anyio

LONG_S = 120.0  # a run that outlives its test unless the test (or the teardown) stops it
SHORT_S = 0.5


class Launcher:
    """Starts real detached runs of ``stream/train`` into the app's store; stops them all."""

    def __init__(self, context: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
        assert context.store is not None
        self.context = context
        self.store: Store = context.store
        self.monkeypatch = monkeypatch
        self.exercise = context.course.lesson("stream").exercise("train")
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, seconds: float) -> int:
        """A run of the solution's training, ``seconds`` long (plus start-up)."""
        self.monkeypatch.setenv("HOML_TEST_TRAIN_S", str(seconds))
        exercise = self.exercise
        spec = spec_for(
            exercise, exercise.solution, "run", checkpoint_dir=self.context.checkpoint_dir(exercise)
        )
        run_id, process = start_detached(self.store, exercise.key, spec)
        self.processes.append(process)
        return run_id

    def finished(self, count: int = 1) -> list[int]:
        """``count`` short runs, started together, once they have all ended."""
        run_ids = [self.start(SHORT_S) for _ in range(count)]
        deadline = time.monotonic() + 60
        while any(self.store.runs.get(run_id).active for run_id in run_ids):  # type: ignore[union-attr]
            assert time.monotonic() < deadline, f"runs {run_ids} did not end"
            time.sleep(0.05)
        return run_ids

    def stop_all(self) -> None:
        """Stop every run still going in this store (started here or from the screen)."""
        stop_active_runs(self.store, wait_s=STOP_WAIT_S)
        for process in self.processes:
            process.wait(timeout=10)


class RecordingApp(HomlApp):
    """The app, recording which runs it was asked to open dashboards of."""

    CSS_PATH = Path(ui_app.__file__).with_name(HomlApp.CSS_PATH)  # not next to this test

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.dashboards: list[list[int]] = []

    def open_run_dashboard(self, run_ids: list[int]) -> None:
        self.dashboards.append(list(run_ids))


@pytest.fixture
def app(make_app) -> RecordingApp:
    return RecordingApp(make_app().context)


@pytest.fixture
def runs(app: RecordingApp, monkeypatch: pytest.MonkeyPatch) -> Iterator[Launcher]:
    launcher = Launcher(app.context, monkeypatch)
    yield launcher
    launcher.stop_all()


async def open_runs(pilot: Pilot, rows: int) -> RunsScreen:
    """Press f6 and wait until the screen lists ``rows`` runs."""
    await pilot.press("f6")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, RunsScreen), what="runs screen")
    screen = pilot.app.screen
    assert isinstance(screen, RunsScreen)
    await wait_for(pilot, lambda: screen.table.row_count == rows, what=f"{rows} rows")
    return screen


def cell(screen: RunsScreen, run_id: int, column: str) -> str:
    return str(screen.table.get_cell(str(run_id), column))


def row_ids(screen: RunsScreen) -> list[int]:
    return [int(row.key.value or 0) for row in screen.table.ordered_rows]


async def until(pilot: Pilot, condition: Callable[[], object], what: str) -> None:
    await wait_for(pilot, condition, timeout=60, what=what)


# ------------------------------------------------------------------ the list
async def test_runs_are_listed_newest_first_with_active_ones_on_top(app, runs) -> None:
    active = runs.start(LONG_S)
    (done,) = runs.finished()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_runs(pilot, rows=2)
        assert row_ids(screen) == [active, done]
        assert cell(screen, done, "status") == "✔ ok"
        assert cell(screen, done, "exercise") == "stream/train"
        assert cell(screen, done, "mode") == "run"
        await until(pilot, lambda: cell(screen, active, "status") == "▶ running", "running")


async def test_a_runs_settings_and_last_loss_are_shown(app, runs) -> None:
    (run_id,) = runs.finished()
    last = runs.store.runs.metrics(run_id)["train_loss"][-1][1]
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_runs(pilot, rows=1)
        await until(pilot, lambda: cell(screen, run_id, "loss") == f"{last:.4g}", "the loss")
        assert cell(screen, run_id, "settings").startswith("lr=0.05 st")


async def test_reference_runs_and_checks_are_listed_and_told_apart(app) -> None:
    store = app.context.store
    check = store.runs.create("stream/train", "check", kind="reference")
    store.runs.finish(check, "failed", "FAIL", "off by 0.5")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_runs(pilot, rows=1)
        assert cell(screen, check, "exercise") == "stream/train ref"
        assert cell(screen, check, "mode") == "check"
        assert cell(screen, check, "status") == "✘ failed"


async def test_a_run_whose_process_died_is_shown_lost(app) -> None:
    store = app.context.store
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    run_id = store.runs.create("stream/train", "run", status="running")
    store.runs.update(run_id, pid=int(dead.stdout))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_runs(pilot, rows=1)
        await until(pilot, lambda: cell(screen, run_id, "status") == "? lost", "lost")
        assert store.runs.get(run_id).status == "lost"


async def test_an_active_runs_row_follows_the_run(app, runs) -> None:
    run_id = runs.start(LONG_S)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_runs(pilot, rows=1)
        await until(pilot, lambda: cell(screen, run_id, "loss") != "-", "a first loss")
        loss, duration = cell(screen, run_id, "loss"), cell(screen, run_id, "time")
        await until(pilot, lambda: cell(screen, run_id, "time") != duration, "the time to move")
        await until(pilot, lambda: cell(screen, run_id, "loss") != loss, "the loss to move")
        assert cell(screen, run_id, "settings").startswith("lr=0.05")


async def test_nothing_is_redrawn_while_no_run_changes(app, runs) -> None:
    runs.finished()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_runs(pilot, rows=1)
        await until(pilot, lambda: screen.polls >= 1, "a first refresh")
        redraws, polls = screen.redraws, screen.polls
        await until(pilot, lambda: screen.polls >= polls + 3, "three more refreshes")
        assert screen.redraws == redraws


async def test_the_important_columns_fit_80x24(app, runs) -> None:
    (run_id,) = runs.finished()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_runs(pilot, rows=1)
        await until(pilot, lambda: cell(screen, run_id, "loss") != "-", "the loss")
        table = screen.table
        headers = [str(column.label) for column in table.ordered_columns]
        assert {"#", "status", "exercise", "mode", "time", "loss", "settings"} <= set(headers)
        assert table.virtual_size.width <= table.size.width
        line = table.render_line(1).text
        assert "✔ ok" in line and "stream/train" in line and "lr=0.05" in line


async def test_a_wider_terminal_also_shows_the_device(app) -> None:
    store = app.context.store
    run_id = store.runs.create("stream/train", "run", device="cpu")
    store.runs.finish(run_id, "ok")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_runs(pilot, rows=1)
        assert "device" not in screen.table.columns
        await pilot.resize_terminal(120, 30)
        await until(pilot, lambda: "device" in screen.table.columns, "the device column")
        assert cell(screen, run_id, "device") == "cpu"


async def test_an_empty_history_says_how_runs_get_there(app) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_runs(pilot, rows=0)
        await until(pilot, lambda: screen.has_class("-empty"), "the empty state")
        assert str(screen.query_one("#runs-message").render()) == EMPTY_TEXT


async def test_without_a_store_the_screen_says_history_needs_it(make_app, tmp_path: Path) -> None:
    data = tmp_path / "blocked"
    (data / "homl.sqlite3").mkdir(parents=True)  # a folder where the database file should be
    app = make_app(data=data)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_runs(pilot, rows=0)
        assert str(screen.query_one("#runs-message").render()) == NO_STORE_TEXT
        await pilot.press("x")
        assert any("needs the progress store" in n.message for n in app._notifications)


# ------------------------------------------------------------------ actions
async def test_x_stops_the_highlighted_run_after_confirmation(app, runs) -> None:
    run_id = runs.start(LONG_S)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_runs(pilot, rows=1)
        await until(pilot, lambda: cell(screen, run_id, "status") == "▶ running", "running")
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        await pilot.press("y")
        await until(pilot, lambda: cell(screen, run_id, "status") == "■ cancelled", "cancelled")
        assert runs.store.runs.get(run_id).status == "cancelled"


async def test_declining_to_stop_leaves_the_run_going(app, runs) -> None:
    run_id = runs.start(LONG_S)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_runs(pilot, rows=1)
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, RunsScreen), what="runs screen")
        assert runs.store.runs.get(run_id).active


async def test_stopping_a_finished_run_says_it_already_ended(app, runs) -> None:
    runs.finished()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_runs(pilot, rows=1)
        await pilot.press("x")
        assert isinstance(app.screen, RunsScreen)
        assert any("already ended (ok)" in n.message for n in app._notifications)


async def test_r_resumes_a_finished_run_from_its_checkpoint(app, runs) -> None:
    (first,) = runs.finished()
    assert runs.store.runs.get(first).checkpoint
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_runs(pilot, rows=1)
        await pilot.press("r")
        await until(pilot, lambda: screen.table.row_count == 2, "the resumed run")
        resumed = row_ids(screen)[0]
        assert runs.store.runs.get(resumed).resumed_from == first
        assert screen.highlighted == resumed
        await until(pilot, lambda: cell(screen, resumed, "status") == "✔ ok", "the resumed end")
        output = "".join(text for _, text in runs.store.runs.output(resumed))
        assert "training from step 200" in output  # where the first run's checkpoint was


async def test_a_check_cannot_be_resumed(app) -> None:
    store = app.context.store
    check = store.runs.create("stream/train", "check")
    store.runs.finish(check, "ok", "PASS")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_runs(pilot, rows=1)
        await pilot.press("r")
        assert any("saved no checkpoint" in n.message for n in app._notifications)
        assert screen.table.row_count == 1 and len(store.runs.list(kind=None)) == 1


async def test_d_forgets_a_finished_run_after_confirmation(app, runs) -> None:
    kept, forgotten = runs.finished(2)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_runs(pilot, rows=2)
        assert screen.highlighted == forgotten
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        await pilot.press("y")
        await until(pilot, lambda: row_ids(screen) == [kept], "the row to go")
        assert runs.store.runs.get(forgotten) is None


async def test_an_active_run_cannot_be_forgotten(app, runs) -> None:
    run_id = runs.start(LONG_S)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_runs(pilot, rows=1)
        await pilot.press("d")
        assert isinstance(app.screen, RunsScreen)
        assert any(
            f"Run #{run_id} is still going: stop it first" in n.message for n in app._notifications
        )


async def test_enter_opens_the_dashboard_of_the_highlighted_run(app, runs) -> None:
    older, _ = runs.finished(2)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_runs(pilot, rows=2)
        await pilot.press("down", "enter")
        assert app.dashboards == [[older]]


async def test_marking_two_runs_and_pressing_enter_compares_them(app, runs) -> None:
    first, second, third = runs.finished(3)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_runs(pilot, rows=3)
        await pilot.press("space", "down", "down", "space")
        assert screen.marked == {third, first}
        assert cell(screen, third, "id").startswith("◆")
        assert not cell(screen, second, "id").startswith("◆")
        await pilot.press("enter")
        assert app.dashboards == [[first, third]]


# ------------------------------------------------------------------ navigation
async def test_f6_opens_one_runs_screen_and_escape_goes_back(app) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_runs(pilot, rows=0)
        await pilot.press("f6")
        await pilot.pause()
        assert sum(isinstance(s, RunsScreen) for s in app.screen_stack) == 1
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CatalogScreen), what="catalog")
