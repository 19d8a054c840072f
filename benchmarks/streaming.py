"""Streaming: ~10,000 metric events a second into the dashboard of the real app, headless.

The app (``create_app`` on benchmarks/lessons, a temporary data folder, ``run_test`` at
120x40) opens the benchmark lesson at its ``stream`` exercise with the Metrics tab shown and
starts a run the way the lesson screen does (``screen.start_session("run")``): a detached
supervisor records the events into SQLite, the screen follows the store at 10 Hz. The
script (benchmarks/lessons/01_bench/exercises/stream/solution.py) sends ``--rate`` events a
second for ``--seconds``, four metric names taking turns, then a known final value of each.

Measured while the events arrive: events/s reaching the lesson screen (end to end), how often
the metrics widget (or any widget inside it) runs ``render``, the lag of a 10 ms timer on the
UI event loop, and how long each store poll, batch and render take on that loop. At the end,
the last value the widget holds for each metric must be the final value the script sent.

    python benchmarks/streaming.py [--rate 10000] [--seconds 5]

Last line: ``streaming: N events/s, redraw H Hz, final values ok (target: 10000 events/s,
<= ~10 Hz, none lost)``, with ``LOST`` instead of ``ok`` if a final value is missing.
The machine is shared: figures vary from run to run with other people's work.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _app import (  # noqa: E402
    LESSONS,
    CallLog,
    GcLog,
    LagProbe,
    busiest_render_rate,
    count_renders,
    describe_stalls,
    open_exercise,
    solution,
    spread,
    stall_causes,
    wait_for,
)

from homl_tui.ui.launch import create_app  # noqa: E402
from homl_tui.ui.session import RunSession  # noqa: E402


def final_values() -> dict[str, float]:
    """The values the stream script sends last, read from the script itself."""
    spec = importlib.util.spec_from_file_location("bench_stream", solution("stream"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.FINAL)


async def measure(data_dir: str, timeout: float) -> dict[str, Any]:
    """Run the stream once in the app; everything measured."""
    app = create_app(LESSONS, data_dir, "cpu")
    log = CallLog()
    log.wrap(RunSession, "poll", "poll")
    arrivals: list[tuple[float, int]] = []
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_exercise(pilot, "stream")
        widget = screen.metrics
        render_labels = count_renders(log, widget)
        apply_batch = screen.apply_batch

        def counted(batch: Any) -> None:
            if batch.metrics:
                arrivals.append((time.perf_counter(), len(batch.metrics)))
            apply_batch(batch)

        screen.apply_batch = counted
        log.wrap(screen, "apply_batch", "apply")
        log.wrap(screen, "_refresh_layout", "layout")  # Textual's whole-screen relayout
        probe = LagProbe().start()
        collections = GcLog().start()
        screen.start_session("run")
        session = screen.session
        if session is None:
            raise RuntimeError("the lesson screen did not start the run")
        await wait_for(pilot, lambda: screen.last_session is session, timeout, "the run to end")
        await asyncio.sleep(0.3)  # a last redraw
        probe.stop()
        collections.stop()
        series = {name: list(points) for name, points in widget.series.items()}
        output = app.context.store.runs.output(session.run_id)
        status = str((session.end or {}).get("status"))
    app.context.store.close()
    return {"arrivals": arrivals, "log": log, "renders": render_labels, "probe": probe,
            "gc": collections, "series": series, "status": status,
            "output": "".join(text for _, text in output)}


def print_figures(result: dict[str, Any], expected_rate: float) -> str:
    """Print the figures; the last line."""
    arrivals: list[tuple[float, int]] = result["arrivals"]
    if len(arrivals) < 2:
        print(f"the run ended ({result['status']}) before metrics arrived:\n{result['output']}")
        return "streaming: 0 events/s, redraw - Hz, final values LOST (target: 10000 events/s)"
    first, last = arrivals[0][0], arrivals[-1][0]
    delivered = sum(n for _, n in arrivals)
    rate = (delivered - arrivals[0][1]) / (last - first)  # the first batch came before `first`
    sent_line = re.search(r"sent (\d+) events in ([\d.]+) s", result["output"])
    sent = int(sent_line.group(1)) if sent_line else -1
    log: CallLog = result["log"]
    hz, busiest = busiest_render_rate(log, result["renders"], first, last)
    renders = log.between(busiest, first, last)
    full_gc = result["gc"].full(first, last)
    lags = result["probe"].lags(first, last)
    finals = final_values()
    series: dict[str, list[tuple[float, float]]] = result["series"]
    missing = [name for name, value in finals.items()
               if not series.get(name) or series[name][-1][1] != value]
    held = sum(len(points) for points in series.values())
    print(f"run: {result['status']}; the script sent {sent} events"
          + (f" in {sent_line.group(2)} s" if sent_line else ""))
    print(f"lesson screen received {delivered} metric points in {len(arrivals)} batches over "
          f"{last - first:.2f} s: {rate:.0f} events/s end to end")
    print(f"widget holds {held} points in {len(series)} series; final values: "
          + ("all present" if not missing else f"missing for {', '.join(missing)}"))
    print(f"redraws: {busiest.removeprefix('render:')} rendered {hz:.1f} times/s while "
          f"streaming; render {spread(renders)}")
    print(f"UI event-loop lag (10 ms timer) while streaming: {spread(lags)}")
    print(f"store poll on the UI loop: {spread(log.between('poll', first, last))}")
    print(f"apply_batch on the UI loop: {spread(log.between('apply', first, last))}")
    layouts = log.between("layout", first, last)
    print(f"whole-screen layouts: {len(layouts) / (last - first):.1f}/s, {spread(layouts)}")
    print(f"full garbage collections in the UI process while streaming: {len(full_gc)}, "
          f"{spread(full_gc)}")
    print(describe_stalls(*stall_causes(result["probe"], log, result["gc"], first, last)))
    if 0 <= delivered < sent:
        print(f"WARNING: {sent - delivered} events sent by the script never reached the screen")
    verdict = "ok" if not missing else "LOST"
    return (f"streaming: {rate:.0f} events/s, redraw {hz:.1f} Hz, final values {verdict} "
            f"(target: {expected_rate:.0f} events/s, <= ~10 Hz, none lost)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=10_000, help="events a second")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of the stream")
    args = parser.parse_args()
    os.environ["HOML_BENCH_RATE"] = str(args.rate)
    os.environ["HOML_BENCH_SECONDS"] = str(args.seconds)
    with tempfile.TemporaryDirectory() as data_dir:
        result = asyncio.run(measure(data_dir, timeout=args.seconds * 4 + 30))
    print(print_figures(result, args.rate))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
