"""Responsiveness: UI event-loop lag while a training run saturates the CPU, vs idle.

The real app runs headless (``create_app`` on benchmarks/lessons, a temporary data folder,
``run_test`` at 120x40) with the benchmark lesson open at its ``busy`` exercise and the
Metrics tab shown. A probe coroutine on the app's event loop wakes every 10 ms and records
how late it is. It measures ``--idle`` seconds with nothing running, then starts the run like
the lesson screen does (``screen.start_session("run")``): torch matrix products on every
thread the run is given (``runtime.runner.default_threads()``: every core but one), each
product streamed as a metric, the dashboard redrawing. Once the first metrics are drawn it
measures ``--busy`` seconds, then cancels the run.

    python benchmarks/responsiveness.py [--idle 5] [--busy 10]

It prints the idle and busy lag (p50/p99/max), how busy the run kept the CPU, the redraw rate
and the time spent on the UI loop in store polls, batches and renders. Last line:
``responsiveness_p99: X ms (target: <= 50 ms)``, X the busy p99.
The machine is shared: figures vary from run to run with other people's work.
"""

from __future__ import annotations

import argparse
import asyncio
import os
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
    percentile,
    spread,
    stall_causes,
    wait_for,
)

from homl_tui.runtime.procfs import cpu_seconds  # noqa: E402
from homl_tui.runtime.runner import default_threads  # noqa: E402
from homl_tui.ui.launch import create_app  # noqa: E402
from homl_tui.ui.session import RunSession  # noqa: E402


async def measure(data_dir: str, idle_s: float, busy_s: float) -> dict[str, Any]:
    """Idle, then busy; the windows and everything recorded in them."""
    app = create_app(LESSONS, data_dir, "cpu")
    log = CallLog()
    log.wrap(RunSession, "poll", "poll")
    arrivals: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_exercise(pilot, "busy")
        render_labels = count_renders(log, screen.metrics)
        apply_batch = screen.apply_batch

        def counted(batch: Any) -> None:
            if batch.metrics:
                arrivals.append(time.perf_counter())
            apply_batch(batch)

        screen.apply_batch = counted
        log.wrap(screen, "apply_batch", "apply")
        log.wrap(screen, "_refresh_layout", "layout")  # Textual's whole-screen relayout
        probe = LagProbe().start()
        collections = GcLog().start()
        idle_start = time.perf_counter()
        idle = (idle_start, idle_start + idle_s)
        await asyncio.sleep(idle_s)
        screen.start_session("run")
        session = screen.session
        if session is None:
            raise RuntimeError("the lesson screen did not start the run")
        await wait_for(pilot, lambda: arrivals, 90, "the first metrics")
        store = app.context.store
        info = store.runs.get(session.run_id) if session.run_id is not None else None
        worker = info.worker_pid if info else None
        ui_cpu, worker_cpu = time.process_time(), cpu_seconds(worker) if worker else None
        busy_start = time.perf_counter()
        await asyncio.sleep(busy_s)
        busy = (busy_start, time.perf_counter())
        ui_cpu = time.process_time() - ui_cpu
        worker_end = cpu_seconds(worker) if worker else None
        probe.stop()
        collections.stop()
        screen.cancel_run()
        await wait_for(pilot, lambda: screen.last_session is session, 30, "the run to stop")
    store.close()
    worker_cpu = (worker_end - worker_cpu
                  if worker_cpu is not None and worker_end is not None else None)
    return {"idle": idle, "busy": busy, "probe": probe, "log": log, "renders": render_labels,
            "gc": collections, "ui_cpu": ui_cpu, "worker_cpu": worker_cpu}


def print_figures(result: dict[str, Any]) -> str:
    """Print the figures; the last line."""
    probe: LagProbe = result["probe"]
    log: CallLog = result["log"]
    idle, busy = probe.lags(*result["idle"]), probe.lags(*result["busy"])
    start, end = result["busy"]
    span = end - start
    hz, busiest = busiest_render_rate(log, result["renders"], start, end)
    threads = default_threads()
    print(f"idle, lesson open ({len(idle)} wake-ups): lag {spread(idle)}")
    print(f"busy, run training ({len(busy)} wake-ups): lag {spread(busy)}")
    if result["worker_cpu"] is not None:
        print(f"the run used {result['worker_cpu'] / span:.2f} cores ({threads} thread(s) "
              f"given, {os.cpu_count()} cores); the UI process {result['ui_cpu'] / span:.2f}")
    print(f"redraws while busy: {busiest.removeprefix('render:') or 'none'} {hz:.1f} times/s; "
          f"render {spread(log.between(busiest, start, end))}")
    print(f"store poll on the UI loop: {spread(log.between('poll', start, end))}")
    print(f"apply_batch on the UI loop: {spread(log.between('apply', start, end))}")
    layouts = log.between("layout", start, end)
    print(f"whole-screen layouts: {len(layouts) / span:.1f}/s, {spread(layouts)}")
    full_gc = result["gc"].full(start, end)
    print(f"full garbage collections in the UI process while busy: {len(full_gc)}, "
          f"{spread(full_gc)}")
    print(describe_stalls(*stall_causes(probe, log, result["gc"], start, end)))
    return f"responsiveness_p99: {percentile(busy, 0.99) * 1000:.1f} ms (target: <= 50 ms)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle", type=float, default=5.0, help="seconds measured idle")
    parser.add_argument("--busy", type=float, default=10.0, help="seconds measured busy")
    args = parser.parse_args()
    os.environ["HOML_BENCH_SECONDS"] = str(args.busy + 60)  # cancelled once measured
    with tempfile.TemporaryDirectory() as data_dir:
        result = asyncio.run(measure(data_dir, args.idle, args.busy))
    print(print_figures(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
