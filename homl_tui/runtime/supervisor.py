"""The supervisor of a detached run: owns the worker, writes everything to the store.

``python -m homl_tui.runtime.supervisor DB RUN_ID`` is started by
:func:`homl_tui.runtime.detached.start_detached` in its own session, with stdin
closed and its output in a log file, so that neither the app quitting nor the
terminal hanging up (SIGHUP, a dropped SSH connection) reaches it. It reads the
run's spec from the run row, starts the worker (:class:`~homl_tui.runtime.runner.Run`:
limits, watchdog, event pipe) and, about ten times a second, writes what arrived
(metrics, output, latest frame/plots/progress, resource use) in one transaction.
When the run ends it records the end, and for a check the attempt, so progress
is saved even if nobody is watching. SIGTERM or SIGINT cancel the run cleanly.
"""

from __future__ import annotations

import signal
import sqlite3
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

from homl_tui.outcome import Outcome
from homl_tui.runtime.batch import Batch, coalesce
from homl_tui.runtime.recording import record_batch
from homl_tui.runtime.runner import Run
from homl_tui.runtime.spec import RunSpec

TICK_S = 0.1
DRAIN_LIMIT = 50_000
RESOURCES_EVERY_S = 1.0
MAX_PENDING_METRICS = 2_000_000  # kept in memory while the store cannot be written


def merge(into: Batch, later: Batch) -> Batch:
    """``into`` followed by ``later`` (appends append; latest-value fields take ``later``'s)."""
    into.metrics.extend(later.metrics)
    del into.metrics[:-MAX_PENDING_METRICS]
    into.output.extend(later.output)
    into.plots.update(later.plots)
    into.notes.update(later.notes)
    for name in ("frame", "progress", "check", "end", "device"):
        value = getattr(later, name)
        if value is not None:
            setattr(into, name, value)
    return into


class Supervisor:
    """Runs one spec and records it under ``run_id`` in the store at ``db``."""

    def __init__(self, db: Path, run_id: int, stop: threading.Event | None = None) -> None:
        from homl_tui.store import Store

        self.store = Store(db)
        self.runs = self.store.runs
        self.run_id = run_id
        self._stop = stop or threading.Event()
        self._pending: Batch | None = None
        self._store_error = ""
        self._gpu: dict[str, Any] = {}
        self._last: dict[str, float] = {}

    def _write(self, batch: Batch) -> bool:
        """Write ``batch`` (after anything an earlier failed write left); False if it failed."""
        if self._pending is not None:
            batch = merge(self._pending, batch)
            self._pending = None
        try:
            record_batch(self.runs, self.run_id, batch)
        except sqlite3.Error as exc:
            self._pending = batch
            if str(exc) != self._store_error:
                self._store_error = str(exc)
                print(f"store write failed, will retry: {exc}", file=sys.stderr, flush=True)
            return False
        self._store_error = ""
        return True

    def _note_last_values(self, batch: Batch) -> None:
        """Keep the latest value of each metric as state ``last`` (the runs list reads it)."""
        if batch.metrics:
            for _, name, value in batch.metrics:
                self._last[name] = value
            batch.notes["last"] = dict(self._last)

    def _resources(self, run: Run, batch: Batch) -> None:
        if isinstance(batch.notes.get("resources"), dict):
            self._gpu = dict(batch.notes["resources"])
        batch.notes["resources"] = {**self._gpu, "rss_mb": round(run.rss / 2**20, 1),
                                    "peak_rss_mb": round(run.peak_rss / 2**20, 1)}

    def run(self) -> int:
        text = self.runs.spec(self.run_id)
        try:
            spec = RunSpec.from_json(text)
        except (ValueError, TypeError) as exc:
            self.runs.finish(self.run_id, "error", Outcome.ERROR.value,
                             f"homl-tui could not read this run's settings: {exc}")
            return 1
        run = Run(spec).start()
        self.runs.update(self.run_id, status="running", worker_pid=run.pid)
        cancelled = False
        next_resources = 0.0
        while True:
            if self._stop.is_set() and not cancelled:
                cancelled = True
                run.cancel()
            batch = coalesce(run.drain(DRAIN_LIMIT))
            now = time.monotonic()
            if now >= next_resources or batch.end is not None:
                next_resources = now + RESOURCES_EVERY_S
                self._resources(run, batch)
            self._note_last_values(batch)
            if batch.end is not None:
                return self._finish(run, spec, batch)
            self._write(batch)
            if len(batch.metrics) < DRAIN_LIMIT:  # else more is waiting: write it at once
                if cancelled:
                    time.sleep(TICK_S)
                else:
                    self._stop.wait(TICK_S)

    def _finish(self, run: Run, spec: RunSpec, batch: Batch) -> int:
        end = batch.end or {}
        status = str(end.get("status", "error"))
        outcome = end.get("outcome")
        message = str(end.get("message", ""))
        if spec.mode == "check" and batch.check is not None:
            message = str(batch.check.get("message", message))
        device = batch.device[0] if batch.device else None
        # Progress first, then the end: whoever sees the end also sees the attempt.
        if spec.mode == "check" and outcome and outcome != Outcome.CANCELLED.value:
            info = self.runs.get(self.run_id)
            if info is not None and info.kind == "learner":
                try:
                    self.store.record_attempt(info.exercise, str(outcome), message,
                                              info.code_hash, float(end.get("duration_s", 0.0)))
                except sqlite3.Error as exc:
                    print(f"could not record the attempt: {exc}", file=sys.stderr, flush=True)
        for attempt in range(50):  # the end must reach the store: retry a busy or full disk
            if self._write(batch):
                break
            batch = Batch()
            time.sleep(min(2.0, 0.1 * (attempt + 1)))
        self.runs.finish(self.run_id, status, outcome, message, device)
        return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2 or not argv[1].isdigit():
        print("usage: python -m homl_tui.runtime.supervisor DB RUN_ID", file=sys.stderr)
        return 2
    db, run_id = Path(argv[0]), int(argv[1])
    # First thing: a stop asked for while we start up must not be lost (or kill us unrecorded).
    stop = threading.Event()
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        supervisor = Supervisor(db, run_id, stop)
    except Exception as exc:  # noqa: BLE001 - nothing to record into; the log says why
        print(f"cannot open the store {db}: {exc}", file=sys.stderr)
        return 1
    try:
        return supervisor.run()
    except Exception as exc:  # noqa: BLE001 - the run row must not stay "running"
        traceback.print_exc()
        supervisor.runs.finish(run_id, "error", Outcome.ERROR.value,
                               f"homl-tui's run supervisor failed: {exc}")
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
