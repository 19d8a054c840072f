"""The event protocol between a run (child process) and its observer.

Events are JSON objects, one per line, each with a ``kind``. The child writes
them to a dedicated pipe; learner ``print`` output travels separately and is
turned into ``stdout``/``stderr`` events by the runner. :func:`parse_line`
accepts arbitrary bytes and never raises: anything that is not a well-formed
event is dropped. What it returns is safe to store and print: a line must be
UTF-8, a lone surrogate escape (``"\\ud800"``) becomes U+FFFD, and a metric
step fits SQLite's 64-bit integers.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

KINDS = frozenset(
    {"start", "stdout", "stderr", "metric", "progress", "plot", "frame", "check", "end", "note"}
)
#: Environment variables that hand a run its event pipe: the descriptor (the run's own
#: process) and its ``/proc`` path (processes the run starts).
ENV_FD = "HOML_TUI_EVENTS_FD"
ENV_PATH = "HOML_TUI_EVENTS_PATH"
#: The pid of the process watching a worker: the worker ends when it goes away.
PARENT_PID_VAR = "HOML_TUI_PARENT_PID"
#: Kinds only the worker itself sends (with its token), never code under check.
WORKER_KINDS = frozenset({"start", "check", "end"})
#: The worker's exit status when the code it ran closed its copy of the event pipe, so that
#: the verdict could not be sent.
EVENTS_LOST_STATUS = 86
MAX_LINE = 4 << 20
MAX_STEP = 2**63 - 1
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")

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
    event["step"] = int(step) if finite and -MAX_STEP <= int(step) <= MAX_STEP else 0
    event["values"] = clean
    return event


def _without_surrogates(value: Any) -> Any:
    """``value`` with every lone surrogate in its strings (keys too) replaced by U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    return value


def parse_line(line: bytes | str) -> Event | None:
    """One line of the event pipe as an event dict, or ``None`` if it is not one."""
    if len(line) > MAX_LINE:
        return None
    try:
        if isinstance(line, str):
            text, raw_surrogates = line, not line.isascii() and not _valid_unicode(line)
        else:
            text, raw_surrogates = line.decode("utf-8"), False  # strict: none can be there
        event = json.loads(text)
        if raw_surrogates or "\\u" in text and _SURROGATE_ESCAPE.search(text):
            event = _without_surrogates(event)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(event, dict) or not isinstance(event.get("kind"), str):
        return None
    if event["kind"] not in KINDS:
        return None
    if event["kind"] == "metric":
        return _valid_metric(event)
    return event


def _valid_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def metric_value(value: Any) -> float:
    """A metric value as a float (NaN and infinities included)."""
    number = _number(value)
    return math.nan if number is None else number
