"""The event protocol between a run (child process) and its observer.

Events are JSON objects, one per line, each with a ``kind``. The child writes
them to a dedicated pipe; learner ``print`` output travels separately and is
turned into ``stdout``/``stderr`` events by the runner. :func:`parse_line`
accepts arbitrary bytes and never raises: anything that is not a well-formed
event is dropped.
"""

from __future__ import annotations

import json
import math
from typing import Any

KINDS = frozenset(
    {"start", "stdout", "stderr", "metric", "progress", "plot", "frame", "check", "end", "note"}
)
MAX_LINE = 4 << 20

Event = dict[str, Any]


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            return float(value)
        except OverflowError:  # an int too large for a float
            return None
    if isinstance(value, str) and value in ("nan", "inf", "-inf"):
        return float(value)
    return None


def _valid_metric(event: Event) -> Event | None:
    values = event.get("values")
    if not isinstance(values, dict):
        return None
    clean = {str(k): v for k, v in ((k, _number(v)) for k, v in values.items()) if v is not None}
    if not clean:
        return None
    step = event.get("step")
    number = _number(step)
    finite = number is not None and math.isfinite(number) and not isinstance(step, str)
    event["step"] = int(step) if finite else 0
    event["values"] = clean
    return event


def parse_line(line: bytes | str) -> Event | None:
    """One line of the event pipe as an event dict, or ``None`` if it is not one."""
    if len(line) > MAX_LINE:
        return None
    try:
        event = json.loads(line)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(event, dict) or not isinstance(event.get("kind"), str):
        return None
    if event["kind"] not in KINDS:
        return None
    if event["kind"] == "metric":
        return _valid_metric(event)
    return event


def metric_value(value: Any) -> float:
    """A metric value as a float (NaN and infinities included)."""
    number = _number(value)
    return math.nan if number is None else number
