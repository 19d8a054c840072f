"""The training dashboard's data model: runs, their metric series, groups and views.

Plain Python (no Textual). A *run* holds one series per metric name; the first
non-ghost run is the primary one, later ones are overlays for comparison (two
learning rates) and a *ghost* run holds the reference solution's curves, drawn
dim. Series of one quantity share a *group* and so a chart (``train_loss`` and
``val_loss`` -> ``loss``). :meth:`DashboardModel.curves` gives what one chart
draws: smoothed on the full series first, then downsampled to the chart width.
Every change to the curves bumps :attr:`DashboardModel.version`, the key of the
widget's chart cache; :attr:`DashboardModel.status` (the header) is cheap to redraw.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from homl_tui.ui.dashboard.diagnosis import DivergenceWatch, is_loss_like, non_finite_note
from homl_tui.ui.dashboard.smoothing import SmoothedSeries
from homl_tui.ui.dashboard.status import THROUGHPUT_NAMES, RunStatus
from homl_tui.ui.render.downsample import Decimator, Point

#: Words that say which split a value was measured on; they do not change the quantity.
SPLIT_WORDS = frozenset(
    {"train", "training", "val", "valid", "validation", "test", "eval", "dev"}
)
_WORD = re.compile(r"[_\-/ .]+")


def metric_group(name: str) -> str:
    """The chart a metric goes to: ``val_loss``, ``loss_val`` and ``train_loss`` -> ``loss``.

    The split words (train, val, valid, test...) are dropped; a ``#2`` suffix (a
    second curve of the same metric) is ignored; anything else is its own group.
    """
    base = name.split(" #", 1)[0].strip()
    words = [word for word in _WORD.split(base.lower()) if word]
    kept = [word for word in words if word not in SPLIT_WORDS]
    return "_".join(kept) if kept else base.lower()


@dataclass(eq=False)
class Series:
    """The (step, value) points of one metric of one run, with what is derived from them."""

    name: str  # ``loss``, or ``loss #2`` after the step went back
    metric: str  # the name as reported
    group: str
    points: list[Point] = field(default_factory=list)
    first_non_finite: Point | None = None
    watch: DivergenceWatch = field(default_factory=DivergenceWatch)
    _smoothed: dict[float, SmoothedSeries] = field(default_factory=dict, repr=False)
    _decimators: dict[float, Decimator] = field(default_factory=dict, repr=False)

    def append(self, step: float, value: float) -> None:
        self.points.append((step, value))
        if self.first_non_finite is None and not math.isfinite(value):
            self.first_non_finite = (step, value)
        self.watch.add(step, value)

    def smoothed(self, beta: float) -> list[Point]:
        """The finite points, smoothed with ``beta`` (0: raw), extended incrementally."""
        cache = self._smoothed.get(beta)
        if cache is None:
            cache = self._smoothed[beta] = SmoothedSeries(beta)
        return cache.update(self.points)

    def view(self, beta: float, buckets: int) -> list[Point]:
        """:meth:`smoothed`, downsampled to about ``buckets`` columns (kept up to date as the
        series grows, so a redraw does not walk every point again)."""
        decimator = self._decimators.get(beta)
        if decimator is None:
            decimator = self._decimators[beta] = Decimator()
        return decimator.view(self.smoothed(beta), buckets)

    @property
    def latest(self) -> float | None:
        """The last raw value (NaN included), None when empty."""
        return self.points[-1][1] if self.points else None


@dataclass(eq=False)
class Run:
    """One run's series by name, in order of first appearance."""

    run_id: str
    label: str
    ghost: bool = False
    series: dict[str, Series] = field(default_factory=dict)
    _current: dict[str, str] = field(default_factory=dict, repr=False)  # metric -> series name

    def add(self, step: float, metric: str, value: float) -> Series:
        """Append a point; a step that goes back starts a new series ``metric #2``."""
        name = self._current.get(metric, metric)
        series = self.series.get(name)
        if series is not None and series.points and step < series.points[-1][0]:
            number = 2
            while f"{metric} #{number}" in self.series:
                number += 1
            name = self._current[metric] = f"{metric} #{number}"
            series = None
        if series is None:
            series = self.series[name] = Series(name, metric, metric_group(metric))
        series.append(step, value)
        return series


@dataclass(frozen=True)
class CurveView:
    """One curve of a chart, ready to draw: ``points`` smoothed then downsampled."""

    run: Run
    series: Series
    points: list[Point]
    raw: list[Point] | None  # the raw curve (downsampled) when ``points`` are smoothed

    @property
    def latest(self) -> float | None:
        return self.series.latest


class DashboardModel:
    """Runs and their series, grouped for charts, plus the run status for the header."""

    def __init__(self) -> None:
        self.runs: dict[str, Run] = {}
        self.groups: list[str] = []
        self.status = RunStatus()
        self.version = 0

    # -------------------------------------------------------------- changes
    def set_run(
        self,
        run_id: str,
        label: str,
        metrics: Mapping[str, Sequence[tuple[float, float]]],
        ghost: bool = False,
    ) -> Run:
        """Put a whole run (from history, or the reference solution as a ``ghost``)."""
        run = Run(run_id, label, ghost)
        for name, points in metrics.items():
            for step, value in points:
                run.add(float(step), name, float(value))
        self.runs[run_id] = run
        self._regroup()
        self.version += 1
        return run

    def extend(self, run_id: str, rows: Iterable[tuple[float, str, float]]) -> bool:
        """Append live (step, name, value) rows to a run (made on first use); True if any."""
        run = self.runs.get(run_id)
        added = False
        for step, name, value in rows:
            if run is None:
                run = self.runs[run_id] = Run(run_id, run_id)
            series = run.add(float(step), name, float(value))
            if series.group not in self.groups:
                self.groups.append(series.group)
            if name in THROUGHPUT_NAMES and not run.ghost and math.isfinite(value):
                self.status.samples_per_s = float(value)
            added = True
        if added:
            self.version += 1
        return added

    def remove_run(self, run_id: str) -> bool:
        if self.runs.pop(run_id, None) is None:
            return False
        self._regroup()
        self.version += 1
        return True

    def begin(self, now: float, state: str = "running") -> None:
        """A new live run starts: no curves but the reference's, a fresh status."""
        self.runs = {run_id: run for run_id, run in self.runs.items() if run.ghost}
        self._regroup()
        self.version += 1
        self.status = RunStatus(state=state, started_at=now)

    def _regroup(self) -> None:
        groups = dict.fromkeys(self.groups)
        for run in self.runs.values():
            groups.update(dict.fromkeys(s.group for s in run.series.values()))
        present = {s.group for run in self.runs.values() for s in run.series.values()}
        self.groups = [g for g in groups if g in present]

    # --------------------------------------------------------------- views
    @property
    def primary(self) -> Run | None:
        """The first run that is not a ghost."""
        return next((run for run in self.runs.values() if not run.ghost), None)

    @property
    def has_ghost(self) -> bool:
        return any(run.ghost for run in self.runs.values())

    @property
    def empty(self) -> bool:
        return not any(run.series for run in self.runs.values())

    def curves(
        self, group: str, *, smoothing: float = 0.0, buckets: int = 0, ghosts: bool = True
    ) -> list[CurveView]:
        """The curves of ``group``: runs in order, ghosts last (when ``ghosts``).

        Smoothing runs on the full series, then each curve is downsampled to about
        ``buckets`` columns (min and max of each bucket, and the last point kept).
        """
        runs = [r for r in self.runs.values() if not r.ghost]
        runs += [r for r in self.runs.values() if r.ghost] if ghosts else []
        views = []
        for run in runs:
            for series in run.series.values():
                if series.group != group:
                    continue
                points = series.view(smoothing, buckets)
                raw = None
                if smoothing > 0 and not run.ghost:
                    raw = series.view(0.0, buckets)
                views.append(CurveView(run, series, points, raw))
        return views

    def log_problem(self, group: str, ghosts: bool = True) -> str | None:
        """Why ``group`` cannot use a log y axis (a value <= 0), or None when it can."""
        for run in self.runs.values():
            if run.ghost and not ghosts:
                continue
            for series in run.series.values():
                if series.group != group:
                    continue
                low = min((v for _, v in series.points if math.isfinite(v)), default=1.0)
                if low <= 0:
                    return f"log-y off: {series.name} has values ≤ 0 (min {low:.3g})"
        return None

    def diagnoses(self) -> list[str]:
        """Plain-words notes on the live runs: NaN/inf values, a loss that climbs."""
        live = [run for run in self.runs.values() if not run.ghost]
        notes = []
        for run in live:
            prefix = f"{run.label}: " if len(live) > 1 and run.label else ""
            for series in run.series.values():
                if series.first_non_finite is not None:
                    notes.append(prefix + non_finite_note(series.name, series.first_non_finite))
                elif is_loss_like(series.metric):
                    note = series.watch.note(series.name)
                    if note:
                        notes.append(prefix + note)
        return notes
