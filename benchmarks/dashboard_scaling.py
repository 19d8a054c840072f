"""Dashboard redraw cost against the length of a run: what one tick costs the UI loop.

A bare Textual app (headless, 120x40) holds only the Metrics tab's dashboard (whatever the
lesson screen's ``metrics`` widget is: :class:`homl_tui.ui.widgets.dashboard.Dashboard`).
It is fed two curves (``train_loss``, ``val_loss``) of growing length; at each length one
new point per curve is added and ``render()`` timed, as on every tick of a live run whose
curves changed. Garbage collection is off while timing, so only the drawing is measured.

    python benchmarks/dashboard_scaling.py [--points 1000,10000,100000,300000]

Last line: ``dashboard_render: A ms at N points ... (target: <= 20 ms at every length)``;
the lesson screen ticks every 100 ms, so a redraw near that blocks the UI all the time
(20 ms is this script's suggestion, not an agreed target).
The machine is shared: figures vary from run to run with other people's work.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import math
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual.app import App, ComposeResult  # noqa: E402

from homl_tui.ui.widgets.dashboard import Dashboard  # noqa: E402

REPEATS = 5


class DashboardApp(App[None]):
    """Nothing but the dashboard, full screen."""

    def compose(self) -> ComposeResult:
        yield Dashboard(id="metrics")


def rows(start: int, end: int) -> list[tuple[int, str, float]]:
    """Points ``start`` to ``end`` of a noisy falling training loss and its validation loss."""
    out = []
    for step in range(start, end):
        out.append((step, "train_loss", 1 / (1 + step / 1000) + 0.01 * math.sin(step)))
        out.append((step, "val_loss", 1.1 / (1 + step / 1000)))
    return out


async def measure(lengths: list[int]) -> list[tuple[int, float]]:
    """(points per curve, median render seconds after one new point) for each length."""
    results = []
    async with DashboardApp().run_test(size=(120, 40)) as pilot:
        dashboard = pilot.app.query_one(Dashboard)
        dashboard.begin()
        step = 0
        for length in lengths:
            dashboard.add_points(rows(step, length))
            step = length
            times = []
            gc.disable()
            try:
                for _ in range(REPEATS):
                    dashboard.add_points(rows(step, step + 1))
                    step += 1
                    started = time.perf_counter()
                    dashboard.render()
                    times.append(time.perf_counter() - started)
            finally:
                gc.enable()
            results.append((length, statistics.median(times)))
            await pilot.pause()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", default="1000,10000,100000,300000",
                        help="curve lengths, comma-separated, increasing")
    args = parser.parse_args()
    lengths = sorted(int(n) for n in args.points.split(","))
    results = asyncio.run(measure(lengths))
    for length, seconds in results:
        print(f"{length:>9,} points per curve: render {seconds * 1000:7.1f} ms "
              f"(median of {REPEATS}, one new point each)")
    figures = ", ".join(f"{seconds * 1000:.0f} ms at {length:,}" for length, seconds in results)
    print(f"dashboard_render: {figures} (target: <= 20 ms at every length)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
