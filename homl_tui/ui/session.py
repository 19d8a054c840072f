"""One run of an exercise as the UI sees it: start, poll coalesced batches, record to the store.

No Textual here. The lesson screen calls :meth:`RunSession.poll` from a timer
(~10 Hz); each call drains whatever the runner's threads queued, folds it into
one :class:`Batch` (metric points appended, only the latest frame, output text
joined) and writes the run's history to the store in one transaction per tick.
Store failures never raise: they are passed to ``on_store_error`` once per run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from homl_tui.course import Exercise
from homl_tui.grading import code_hash, spec_for
from homl_tui.outcome import Outcome
from homl_tui.runtime.events import Event, metric_value
from homl_tui.runtime.runner import Run, RunResult
from homl_tui.store import Store

DRAIN_LIMIT = 20_000  # events per tick; the rest waits for the next tick


@dataclass
class Batch:
    """Everything that arrived since the last poll, coalesced."""

    output: list[tuple[str, str]] = field(default_factory=list)  # (stdout|stderr, text)
    metrics: list[tuple[int, str, float]] = field(default_factory=list)  # (step, name, value)
    frame: Event | None = None
    plots: dict[str, Event] = field(default_factory=dict)
    progress: Event | None = None
    check: Event | None = None
    end: Event | None = None
    device: tuple[str, str] | None = None  # (device, human name)

    @property
    def empty(self) -> bool:
        return not (self.output or self.metrics or self.plots) and all(
            v is None for v in (self.frame, self.progress, self.check, self.end, self.device)
        )


def coalesce(events: Iterable[Event]) -> Batch:
    """Fold events into one :class:`Batch` (order of output text is kept)."""
    batch = Batch()
    for event in events:
        kind = event.get("kind")
        if kind in ("stdout", "stderr"):
            text = str(event.get("text", ""))
            if batch.output and batch.output[-1][0] == kind:
                batch.output[-1] = (kind, batch.output[-1][1] + text)
            else:
                batch.output.append((kind, text))
        elif kind == "metric":
            prefix = f"{event['run']}/" if event.get("run") else ""
            step = int(event.get("step", 0))
            for name, value in dict(event.get("values", {})).items():
                batch.metrics.append((step, f"{prefix}{name}", metric_value(value)))
        elif kind == "frame":
            batch.frame = event
        elif kind == "plot":
            batch.plots[str(event.get("name", "plot"))] = event
        elif kind == "progress":
            batch.progress = event
        elif kind == "check":
            batch.check = event
        elif kind == "end":
            batch.end = event
        elif kind == "note" and "device" in event:
            batch.device = (str(event["device"]), str(event.get("device_name", event["device"])))
    return batch


class RunSession:
    """A run or check of one exercise on the learner's file, recorded in the store."""

    def __init__(
        self,
        exercise: Exercise,
        target: Path,
        mode: str,
        *,
        store: Store | None,
        data_dir: Path | None = None,
        device: str = "auto",
        on_store_error: Callable[[str], None] | None = None,
    ) -> None:
        self.exercise = exercise
        self.target = target
        self.mode = mode
        self.store = store
        self.device: tuple[str, str] | None = None
        self.check: Event | None = None
        self.run = Run(spec_for(exercise, target, mode, data_dir=data_dir, device=device))
        self._on_store_error = on_store_error
        self._store_failed = False
        self._run_id: int | None = None
        self._hash = code_hash(target)
        self._started = 0.0
        self._ended: float | None = None
        self._requested_device = device

    # ---------------------------------------------------------------- control
    def start(self) -> RunSession:
        self._started = time.monotonic()
        self.run.start()
        self._run_id = self._store(
            lambda s: s.start_run(
                self.exercise.key,
                self.mode,
                device=self._requested_device,
                seed=self.exercise.seed,
                code_hash=self._hash,
                pid=self.run.pid,
            )
        )
        return self

    def cancel(self) -> None:
        self.run.cancel()

    @property
    def finished(self) -> bool:
        """True once the ``end`` event has been polled."""
        return self._ended is not None

    @property
    def elapsed_s(self) -> float:
        return (self._ended or time.monotonic()) - self._started

    @property
    def result(self) -> RunResult | None:
        return self.run.result

    @property
    def pid(self) -> int | None:
        return self.run.pid

    # ------------------------------------------------------------------- poll
    def poll(self) -> Batch:
        """Drain and coalesce what arrived; record metrics, and the outcome when it ends."""
        batch = coalesce(self.run.drain(DRAIN_LIMIT))
        if batch.device:
            self.device = batch.device
        if batch.check is not None:
            self.check = batch.check
        if batch.metrics and self._run_id:
            rows = [(step, name, value) for step, name, value in batch.metrics]
            self._store(lambda s: s.add_metrics(self._run_id or 0, rows))
        if batch.end is not None and self._ended is None:
            self._ended = time.monotonic()
            self._record_end(batch)
        return batch

    def _record_end(self, batch: Batch) -> None:
        end = batch.end or {}
        status = str(end.get("status", "error"))
        outcome = end.get("outcome")
        device = self.device[0] if self.device else None
        if self._run_id:
            self._store(lambda s: s.end_run(self._run_id or 0, status, outcome, device))
        if self.mode == "check" and outcome and outcome != Outcome.CANCELLED.value:
            check = self.check or {}
            message = str(check.get("message", end.get("message", "")))
            self._store(
                lambda s: s.record_attempt(
                    self.exercise.key,
                    str(outcome),
                    message,
                    self._hash,
                    float(end.get("duration_s", 0.0)),
                )
            )

    def _store(self, write: Callable[[Store], object]) -> int | None:
        if self.store is None:
            return None
        try:
            value = write(self.store)
        except Exception as exc:  # noqa: BLE001 - progress is best effort; the run goes on
            if not self._store_failed and self._on_store_error:
                self._on_store_error(f"Progress not saved: {exc}")
            self._store_failed = True
            return None
        return value if isinstance(value, int) else None
