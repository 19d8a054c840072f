"""Events of a run folded into batches: what arrived since the last look, coalesced.

A consumer (the supervisor writing the store, the app drawing panels) drains the
runner's queue now and then and folds the events into one :class:`Batch`:
metric points appended, only the latest frame, progress and plot per name kept,
output text joined.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from homl_tui.runtime.events import Event, metric_value

NOTE_KEYS = ("config", "resources", "checkpoint", "resumed")


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
    notes: dict[str, Any] = field(default_factory=dict)  # config, resources, checkpoint, resumed

    @property
    def empty(self) -> bool:
        return not (self.output or self.metrics or self.plots or self.notes) and all(
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
        elif kind == "note":
            if "device" in event:
                batch.device = (str(event["device"]),
                                str(event.get("device_name", event["device"])))
            for key, value in event.items():
                if key in NOTE_KEYS:
                    batch.notes[key] = value
    return batch
