"""SVG snapshots at 80x24 of the catalog, the lesson screen and the metrics panel.

Regenerate with ``pytest tests/ui/test_snapshots.py --snapshot-update`` after a
deliberate visual change, and look at the report before committing.
"""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import TextArea

from .conftest import open_lesson


async def _quiet(pilot: Pilot) -> None:
    """No blinking cursors in snapshots."""
    for area in pilot.app.screen.query(TextArea):
        area.cursor_blink = False
    await pilot.pause()


def test_catalog_snapshot(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24))


def test_lesson_screen_snapshot(snap_compare, make_app) -> None:
    async def run_before(pilot: Pilot) -> None:
        await open_lesson(pilot, "demo")
        await _quiet(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_code_tab_snapshot(snap_compare, make_app) -> None:
    async def run_before(pilot: Pilot) -> None:
        await open_lesson(pilot, "demo")
        await _quiet(pilot)
        await pilot.press("f2")
        await _quiet(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_metrics_panel_snapshot(snap_compare, make_app) -> None:
    async def run_before(pilot: Pilot) -> None:
        await open_lesson(pilot, "stream")
        screen = pilot.app.screen
        rows = []
        for step in range(200):
            rows.append((step, "loss", 2.0 / (1 + step / 10)))
            rows.append((step, "val_loss", 2.2 / (1 + step / 12) + 0.05))
        screen.metrics.add_points(rows)
        screen.metrics.refresh()
        await pilot.press("f4")
        await _quiet(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_rollout_panel_snapshot(snap_compare, make_app) -> None:
    async def run_before(pilot: Pilot) -> None:
        await open_lesson(pilot, "stream")
        pilot.app.screen.query_one("#rollout").show_frame(
            {
                "kind": "frame",
                "env": "CartPole-v1",
                "state": [0.8, 0.0, 0.12, 0.0],
                "episode": 3,
                "step": 41,
                "reward": 41.0,
            }
        )
        await pilot.press("f5")
        await _quiet(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)
