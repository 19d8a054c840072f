"""The dashboard widget: keys, legends, the reference curves, the header, caching, 80x24."""

from __future__ import annotations

import math

import pytest
from textual.app import App, ComposeResult

from homl_tui.runtime.batch import Batch
from homl_tui.ui.widgets.dashboard import EMPTY, Dashboard

from .conftest import open_lesson

pytestmark = pytest.mark.anyio

REFERENCE = {"train_loss": [(s, 2.0 / (1 + s)) for s in range(30)]}


class DashboardApp(App[None]):
    """A dashboard alone; it answers a request for reference curves like the screen does."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[Dashboard.GhostRequested] = []

    def compose(self) -> ComposeResult:
        yield Dashboard()

    def on_mount(self) -> None:
        self.query_one(Dashboard).focus()

    def on_dashboard_ghost_requested(self, message: Dashboard.GhostRequested) -> None:
        self.requests.append(message)
        message.dashboard.set_run("ref", "reference", REFERENCE, ghost=True)


def _rows(steps: int = 60) -> list[tuple[int, str, float]]:
    rows = []
    for step in range(steps):
        rows.append((step, "train_loss", 2.0 / (1 + step / 10)))
        rows.append((step, "val_acc", 1 - 1 / (2 + step / 10)))
        rows.append((step, "val_loss", 2.2 / (1 + step / 12)))
    return rows


def _text(dashboard: Dashboard) -> str:
    return dashboard.render().plain  # type: ignore[union-attr]


async def _fed(pilot, rows=None) -> Dashboard:
    dashboard = pilot.app.query_one(Dashboard)
    dashboard.add_points(_rows() if rows is None else rows)
    dashboard.refresh()
    await pilot.pause()
    return dashboard


async def test_an_empty_dashboard_shows_how_to_send_metrics() -> None:
    async with DashboardApp().run_test(size=(80, 24)) as pilot:
        lines = _text(pilot.app.query_one(Dashboard)).splitlines()
        assert " ".join(line for line in lines[:-1] if line) == EMPTY
        assert len(lines) == 24  # the keys on the last line, as once curves fill it


async def test_the_keys_line_shows_while_the_dashboard_has_the_focus() -> None:
    async with DashboardApp().run_test(size=(80, 24)) as pilot:
        dashboard = await _fed(pilot)
        keys = "s smooth  l log-y  g reference  [ ] group  o output"
        assert _text(dashboard).splitlines()[-1].strip() == keys
        dashboard.blur()
        await pilot.pause()
        assert keys not in _text(dashboard)
        assert not [b for b in Dashboard.BINDINGS if b.show]  # the footer is the lesson's


async def test_s_cycles_the_smoothing_levels_and_back_to_raw() -> None:
    async with DashboardApp().run_test(size=(80, 24)) as pilot:
        dashboard = await _fed(pilot)
        seen = []
        for _ in range(6):
            await pilot.press("s")
            seen.append(dashboard.smoothing)
        assert seen == [0.6, 0.8, 0.9, 0.95, 0.99, 0.0]
        await pilot.press("s")
        assert "smooth 0.6" in _text(dashboard)


async def test_l_switches_the_y_axis_to_log() -> None:
    async with DashboardApp().run_test(size=(80, 24)) as pilot:
        dashboard = await _fed(pilot, [(s, "loss", 10.0 ** -(s / 10)) for s in range(60)])
        linear = _text(dashboard)
        await pilot.press("l")
        assert dashboard.log_y
        logged = _text(dashboard)
        assert "log-y" in logged and logged != linear


async def test_log_y_on_values_at_or_below_zero_says_so_instead_of_failing() -> None:
    async with DashboardApp().run_test(size=(80, 24)) as pilot:
        dashboard = await _fed(pilot, [(s, "score", s - 5.0) for s in range(20)])
        await pilot.press("l")
        text = _text(dashboard)
        assert "log-y off: score has values ≤ 0 (min -5)" in text
        assert "┤" in text  # still drawn, on a linear axis


async def test_brackets_select_the_previous_and_next_metric_group() -> None:
    async with DashboardApp().run_test(size=(80, 24)) as pilot:
        dashboard = await _fed(pilot)
        assert dashboard.model.groups == ["loss", "acc"]
        assert "━ train_loss" in _text(dashboard)
        await pilot.press("right_square_bracket")
        assert dashboard.selected == 1
        assert "━ val_acc" in _text(dashboard) and "train_loss" not in _text(dashboard)
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert dashboard.selected == 1  # wraps around


async def test_a_tall_terminal_stacks_several_groups() -> None:
    async with DashboardApp().run_test(size=(100, 50)) as pilot:
        text = _text(await _fed(pilot))
        assert "━ train_loss" in text and "━ val_acc" in text


async def test_o_hides_and_shows_the_last_output_lines() -> None:
    async with DashboardApp().run_test(size=(80, 24)) as pilot:
        dashboard = await _fed(pilot)
        dashboard.apply_batch(Batch(output=[("stdout", "epoch 1\nepoch 2\n")]))
        dashboard.refresh()
        assert "› epoch 2" in _text(dashboard)
        await pilot.press("o")
        assert "epoch 2" not in _text(dashboard)
        await pilot.press("o")
        assert "› epoch 2" in _text(dashboard)


async def test_overlaid_runs_share_the_chart_and_are_named_in_the_legend() -> None:
    async with DashboardApp().run_test(size=(80, 24)) as pilot:
        rows = [(s, "lr=0.1/loss", 1 / (1 + s)) for s in range(30)]
        rows += [(s, "lr=0.01/loss", 2 / (1 + s)) for s in range(30)]
        dashboard = await _fed(pilot, rows)
        assert dashboard.model.groups == ["loss"]
        legend = _text(dashboard).splitlines()[1]
        assert "━ lr=0.1 loss 0.03333" in legend and "━ lr=0.01 loss 0.06667" in legend
        assert set(dashboard.series) == {"lr=0.1/loss", "lr=0.01/loss"}


async def test_g_asks_for_the_reference_curves_then_toggles_them() -> None:
    app = DashboardApp()
    async with app.run_test(size=(80, 24)) as pilot:
        dashboard = await _fed(pilot)
        await pilot.press("g")
        await pilot.pause()
        (request,) = app.requests
        assert request.metrics == ("train_loss", "val_acc", "val_loss")
        assert "┈ reference train_loss 0.06667" in _text(dashboard)
        assert "reference" not in dashboard.series  # ghosts are not live curves
        await pilot.press("g")
        assert "┈ reference" not in _text(dashboard) and "reference off" in _text(dashboard)
        await pilot.press("g")
        assert "┈ reference" in _text(dashboard) and len(app.requests) == 1


class FakeGhost:
    """A reference run whose store fails once, then gives its rows, then ends."""

    label = "reference #7"

    def __init__(self) -> None:
        self.finished = False
        self.polls = 0

    def poll(self) -> list[tuple[int, str, float]]:
        self.polls += 1
        if self.polls == 1:
            raise OSError("database is locked")
        self.finished = self.polls == 3
        return [(self.polls, "loss", 1.0 / self.polls), (self.polls, "other/loss", 9.0)]


async def test_the_followed_reference_grows_skips_store_errors_and_stops_when_ended() -> None:
    async with DashboardApp().run_test(size=(80, 24)) as pilot:
        dashboard = pilot.app.query_one(Dashboard)
        ghost = FakeGhost()
        dashboard.follow_reference(ghost)  # type: ignore[arg-type]
        run = dashboard.model.runs["reference"]
        assert run.ghost and run.label == "reference #7" and dashboard.reference is ghost
        assert not dashboard.poll_reference()  # the store failed: nothing, and no crash
        assert dashboard.poll_reference() and dashboard.reference is ghost
        assert dashboard.poll_reference() and dashboard.reference is None  # it ended
        assert not dashboard.poll_reference() and ghost.polls == 3
        assert list(run.series) == ["loss"]  # its own overlays (``other/loss``) left out
        assert run.series["loss"].points == [(2.0, 0.5), (3.0, 1 / 3)]
        dashboard.drop_reference()
        assert "reference" not in dashboard.model.runs


async def test_the_latest_value_in_the_legend_is_the_raw_one_when_smoothed() -> None:
    async with DashboardApp().run_test(size=(80, 24)) as pilot:
        dashboard = await _fed(pilot, [(s, "loss", float(s % 2)) for s in range(41)])
        await pilot.press("s", "s", "s")
        assert "━ loss 0" in _text(dashboard) and "smooth 0.9" in _text(dashboard)


async def test_a_nan_shows_the_diagnosis_in_bold_yellow() -> None:
    async with DashboardApp().run_test(size=(80, 24)) as pilot:
        dashboard = await _fed(pilot, [(0, "loss", 1.0), (1, "loss", math.nan)])
        text = dashboard.render()
        note = "loss became NaN at step 1: a learning rate too high"
        start = text.plain.index(note)
        styles = [str(span.style) for span in text.spans if span.start <= start < span.end]
        assert "bold yellow" in styles
        assert dashboard.model.diagnoses()[0].startswith(note)


async def test_the_header_shows_state_progress_eta_rate_device_and_memory() -> None:
    async with DashboardApp().run_test(size=(80, 24)) as pilot:
        dashboard = pilot.app.query_one(Dashboard)
        dashboard.begin("running")
        status = dashboard.model.status
        status.update_progress(0, 10, now=0.0, unit="epochs")
        dashboard.apply_batch(
            Batch(
                metrics=[(0, "loss", 1.0)],
                progress={"kind": "progress", "done": 4, "total": 10, "unit": "epochs"},
                device=("cuda", "NVIDIA H100"),
                notes={"resources": {"rss_mb": 812.4, "gpu_mb": 1204.0}},
            )
        )
        status.update_progress(4, 10, now=2.0, unit="epochs")  # 2 epochs/s
        first, second = _text(dashboard).splitlines()[:2]
        assert first.startswith("running 0s  ▕") and "4/10 epochs · ETA" in first
        assert second == "2 epochs/s · cuda · NVIDIA H100 · RAM 812 MB · GPU 1204 MB"
        dashboard.apply_batch(Batch(end={"kind": "end", "status": "ok", "duration_s": 3.21}))
        assert _text(dashboard).startswith("finished ok 3.2s")


async def test_nothing_is_drawn_again_when_nothing_changed() -> None:
    async with DashboardApp().run_test(size=(80, 24)) as pilot:
        dashboard = await _fed(pilot)
        drawn = dashboard.chart_renders
        for _ in range(3):
            dashboard.refresh()
            await pilot.pause()
        assert dashboard.chart_renders == drawn
        assert not dashboard.add_points([])
        dashboard.add_points([(60, "train_loss", 0.1)])
        dashboard.refresh()
        await pilot.pause()
        assert dashboard.chart_renders == drawn + 1


async def test_the_metrics_tab_is_usable_at_80x24_with_the_keyboard(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "stream")
        await pilot.press("f4")
        await pilot.pause()
        dashboard = app.screen.metrics
        assert app.focused is dashboard
        dashboard.add_points(_rows(200))
        dashboard.refresh()
        await pilot.press("s", "right_square_bracket")
        lines = _text(dashboard).splitlines()
        assert len(lines) <= dashboard.size.height
        assert all(len(line) <= dashboard.size.width for line in lines)
        assert "smooth 0.6" in lines[0] and "━ val_acc" in lines[1]
        assert sum("┤" in line for line in lines) >= 3  # a chart with labelled y ticks
