"""Batches of run events to store rows, and back.

The supervisor of a run writes each :class:`~homl_tui.runtime.batch.Batch` with
:func:`record_batch`; whoever follows the run (the app, now or after a restart)
turns what it reads from the store back into a batch with :func:`batch_from_delta`,
so a panel draws a live run and a re-attached one with the same code.
"""

from __future__ import annotations

import time
from typing import Any

from homl_tui.runtime.batch import NOTE_KEYS, Batch
from homl_tui.store.runs import RunDelta, Runs

PLOT_PREFIX = "plot:"


def batch_state(batch: Batch, now: float | None = None) -> dict[str, Any]:
    """The state keys a batch replaces (latest frame, progress, plots, check, end...)."""
    now = time.time() if now is None else now
    state: dict[str, Any] = {}
    if batch.frame is not None:
        state["frame"] = batch.frame
    for name, plot in batch.plots.items():
        state[PLOT_PREFIX + name] = plot
    if batch.progress is not None:
        state["progress"] = {**batch.progress, "t": now}
    if batch.device is not None:
        state["device"] = list(batch.device)
    for key, value in batch.notes.items():
        state[key] = value
    if batch.check is not None:
        state["check"] = batch.check
    if batch.end is not None:
        state["end"] = batch.end
    return state


def record_batch(runs: Runs, run_id: int, batch: Batch, *, now: float | None = None) -> None:
    """Write one batch: metrics and output appended, state replaced, heartbeat moved on."""
    now = time.time() if now is None else now
    runs.record(run_id, metrics=batch.metrics, output=batch.output,
                state=batch_state(batch, now), heartbeat=now)
    fields: dict[str, Any] = {}
    if batch.device is not None:
        fields["device"], fields["device_name"] = batch.device
    if isinstance(batch.notes.get("config"), dict):
        fields["config"] = batch.notes["config"]
    checkpoint = batch.notes.get("checkpoint")
    if isinstance(checkpoint, dict) and checkpoint.get("path"):
        fields["checkpoint"] = str(checkpoint["path"])
    if fields:
        runs.update(run_id, **fields)


def batch_from_delta(delta: RunDelta) -> Batch:
    """What a reader of the store gets, as the batch a live run would have produced."""
    batch = Batch(output=list(delta.output), metrics=list(delta.metrics))
    for key, value in delta.state.items():
        if key.startswith(PLOT_PREFIX) and isinstance(value, dict):
            batch.plots[key[len(PLOT_PREFIX):]] = value
        elif key == "frame" and isinstance(value, dict):
            batch.frame = value
        elif key == "progress" and isinstance(value, dict):
            batch.progress = value
        elif key == "check" and isinstance(value, dict):
            batch.check = value
        elif key == "end" and isinstance(value, dict):
            batch.end = value
        elif key == "device" and isinstance(value, list) and len(value) == 2:
            batch.device = (str(value[0]), str(value[1]))
        elif key in NOTE_KEYS:
            batch.notes[key] = value
    return batch
