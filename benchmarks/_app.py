"""Helpers for the benchmarks that drive the real app headless: the benchmark lesson, an
event-loop lag probe, render and call counters, percentiles.

Textual's headless driver runs the compositor and every widget's ``render`` but does not
encode the frames for a terminal, so figures measured here leave out that last step.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import math
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widget import Widget

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "benchmarks" / "lessons"
LESSON_ID = "bench"
EXERCISES = LESSONS / "01_bench" / "exercises"


def solution(exercise: str) -> Path:
    """The reference solution of a benchmark exercise (what the benchmarks run)."""
    return EXERCISES / exercise / "solution.py"


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0..1) of ``values``, nearest rank; NaN when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def ms(seconds: float) -> str:
    """``12.3 ms``."""
    return f"{seconds * 1000:.1f} ms"


def spread(values: Sequence[float]) -> str:
    """``p50 1.2 ms, p99 30.5 ms, max 41.0 ms`` of durations in seconds."""
    return (f"p50 {ms(percentile(values, 0.5))}, p99 {ms(percentile(values, 0.99))}, "
            f"max {ms(max(values, default=math.nan))}")


class LagProbe:
    """A coroutine on the app's event loop that wakes every ``period`` s and records how late.

    Every sample is ``(time, lateness)``; :meth:`lags` cuts out a time window.
    """

    def __init__(self, period: float = 0.01) -> None:
        self.period = period
        self.samples: list[tuple[float, float]] = []
        self._task: asyncio.Task[None] | None = None

    def start(self) -> LagProbe:
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    async def _run(self) -> None:
        due = time.perf_counter() + self.period
        while True:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            now = time.perf_counter()
            self.samples.append((now, max(0.0, now - due)))
            due = now + self.period

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def lags(self, start: float, end: float) -> list[float]:
        """Lateness of the wake-ups between ``start`` and ``end`` (perf_counter seconds)."""
        return [lag for when, lag in self.samples if start <= when <= end]


class CallLog:
    """Wraps methods of objects so that each call's start time and duration are recorded."""

    def __init__(self) -> None:
        self.calls: dict[str, list[tuple[float, float]]] = {}

    def wrap(self, owner: Any, method: str, label: str) -> None:
        """Record every call of ``owner.method`` (an instance or a class) under ``label``."""
        original = getattr(owner, method)
        calls = self.calls.setdefault(label, [])

        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                calls.append((started, time.perf_counter() - started))

        setattr(owner, method, timed)

    def between(self, label: str, start: float, end: float) -> list[float]:
        """Durations of the ``label`` calls that started between ``start`` and ``end``."""
        return [took for when, took in self.calls.get(label, []) if start <= when <= end]


class GcLog:
    """Records every garbage collection in this process: (start, seconds, generation)."""

    def __init__(self) -> None:
        self.collections: list[tuple[float, float, int]] = []
        self._started = 0.0

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.collections.append((self._started, time.perf_counter() - self._started,
                                     info["generation"]))

    def start(self) -> GcLog:
        gc.callbacks.append(self._callback)
        return self

    def stop(self) -> None:
        if self._callback in gc.callbacks:
            gc.callbacks.remove(self._callback)

    def full(self, start: float, end: float) -> list[float]:
        """Durations of the full (generation 2) collections between ``start`` and ``end``."""
        return [took for when, took, generation in self.collections
                if generation == 2 and start <= when <= end]


def count_renders(log: CallLog, widget: Widget) -> list[str]:
    """Record ``render`` calls of ``widget`` and its descendants; the labels used."""
    labels = []
    for index, node in enumerate([widget, *widget.walk_children(Widget)]):
        label = f"render:{type(node).__name__}#{node.id or index}"
        log.wrap(node, "render", label)
        labels.append(label)
    return labels


def busiest_render_rate(log: CallLog, labels: Sequence[str], start: float, end: float
                        ) -> tuple[float, str]:
    """(renders per second, label) of the most redrawn of ``labels`` between start and end."""
    best = (0.0, "")
    span = max(end - start, 1e-9)
    for label in labels:
        rate = len(log.between(label, start, end)) / span
        if rate > best[0]:
            best = (rate, label)
    return best


def stall_causes(probe: LagProbe, log: CallLog, collections: GcLog, start: float, end: float,
                 over: float = 0.05) -> tuple[int, dict[str, int]]:
    """Wake-ups later than ``over`` s between start and end, and for each kind of work
    (a logged call, ``full gc``), in how many of those stalls it was running."""
    spans: dict[str, list[tuple[float, float]]] = {"full gc": [
        (when, when + took) for when, took, generation in collections.collections
        if generation == 2]}
    for label, calls in log.calls.items():
        kind = label.partition(":")[0]
        spans.setdefault(kind, []).extend((when, when + took) for when, took in calls)
    stalls = [(when - lag, when) for when, lag in probe.samples
              if start <= when <= end and lag > over]
    counts = {kind: sum(any(a < stall_end and b > stall_start for a, b in intervals)
                        for stall_start, stall_end in stalls)
              for kind, intervals in spans.items()}
    return len(stalls), counts


def describe_stalls(stalls: int, counts: dict[str, int], over: float = 0.05) -> str:
    """``5 wake-ups over 50.0 ms; work running in them: render 4, layout 3, full gc 1``."""
    busy = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items(), key=lambda kv: -kv[1])
                     if n)
    return f"{stalls} wake-ups over {ms(over)}" + (f"; work running in them: {busy}"
                                                    if stalls else "")


async def wait_for(pilot: Pilot, condition: Callable[[], object], timeout: float,
                   what: str, step: float = 0.05) -> None:
    """Let the app run until ``condition()`` holds; TimeoutError after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:g} s waiting for {what}")
        await asyncio.sleep(step)
    await pilot.pause()


async def open_exercise(pilot: Pilot, exercise: str) -> Any:
    """Open the benchmark lesson at ``exercise`` with its solution in the editor, Metrics tab
    shown; the lesson screen."""
    app = pilot.app
    app.open_lesson(LESSON_ID, exercise)  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: getattr(app.screen, "exercise", None) is not None, 30,
                   "the lesson screen")
    screen = app.screen
    screen.editor.load_text(solution(exercise).read_text(encoding="utf-8"))
    screen.save_now()
    screen.action_show_tab("tab-metrics")
    await pilot.pause()
    return screen
