"""The training dashboard of the Metrics tab: run header, one chart per metric group,
legends with the latest values, a diagnosis line and the last lines of output.

Keys: ``s`` smoothing, ``l`` log-y, ``g`` reference curves, ``[``/``]`` metric group,
``o`` output lines. The data lives in :class:`~homl_tui.ui.dashboard.model.DashboardModel`;
this widget draws it, and grows the reference curve from the run it follows
(:meth:`Dashboard.follow_reference`). Charts are cached on size, data version and view
settings, so refreshing without a change redraws only the (cheap) header.
"""

from __future__ import annotations

import math
import textwrap
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from rich.console import RenderableType
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget

from homl_tui.ui.dashboard.model import CurveView, DashboardModel
from homl_tui.ui.dashboard.smoothing import SMOOTHING_LEVELS
from homl_tui.ui.dashboard.status import RunStatus
from homl_tui.ui.render import fit
from homl_tui.ui.render.charts import CurveStyle, line_chart, series_color
from homl_tui.ui.render.downsample import Point, as_float

if TYPE_CHECKING:
    from homl_tui.runtime.batch import Batch
    from homl_tui.runtime.events import Event
    from homl_tui.ui.ghost import Ghost

GHOST_ID = "reference"  # the model's run id for the reference curve
EMPTY = (
    "No metrics yet. Code that calls report.metric(step=..., loss=...) "
    "draws its curves here while it runs."
)
GROUP_HEIGHT = 12  # lines a stacked group needs (legend and chart)
MAX_STACKED = 3
LOG_SHOWN = 3
MAX_NOTES = 2
BAR_WIDTH = 16
#: Markers of the 2nd, 3rd... curve of one run when several runs share a chart.
MARKERS: tuple[str | None, ...] = (None, "•", "+", "x", "*")
GLYPHS = {None: "━", "braille": "┈"}


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.3g}"


def _short(value: float) -> str:
    """``812``, ``3.2``, ``12.5k``, ``1.2M``."""
    for size, suffix in ((1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.3g}"


def _clock(seconds: float) -> str:
    """``0:09``, ``12:30``, ``1:02:03``."""
    minutes, secs = divmod(int(seconds + 0.5), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _value(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.4g}" if math.isfinite(value) else ("NaN" if math.isnan(value) else "inf")


def _state_style(status: RunStatus) -> str:
    if status.running:
        return "bold cyan"
    if status.ended is None:
        return "yellow" if status.state == "lost" else ""
    return {"ok": "bold green", "cancelled": "yellow"}.get(status.ended[0], "bold red")


def header_lines(status: RunStatus, width: int, now: float) -> list[Text]:
    """The one or two header lines (none before any run): state, progress, rate, device."""
    first, second = Text(), Text()
    if status.state != "idle" or status.ended is not None:
        first.append(status.state_text(now), _state_style(status))
    progress = status.progress
    unit = progress.unit if progress else ""
    if progress is not None:
        first.append("  ")
        fraction = progress.fraction
        if fraction is not None:
            bar = min(BAR_WIDTH, max(4, width // 5))
            full = int(fraction * bar + 0.5)
            first.append("▕")
            first.append("█" * full, "cyan")
            first.append("░" * (bar - full), "dim")
            first.append("▏ ")
            first.append(f"{_number(progress.done)}/{_number(progress.total)}")
        else:
            first.append(_number(progress.done))
        if unit:
            first.append(f" {unit}")
        eta = status.eta_s(now)
        if eta is not None and status.running:
            first.append(f" · ETA {_clock(eta)}", "bold")
        if progress.note:
            first.append(f" · {progress.note}", "dim")
    parts: list[str] = []
    rate = status.rate
    if rate is not None and rate > 0:
        parts.append(f"{_short(rate)} {unit or 'it'}/s")
    if status.samples_per_s is not None and unit != "samples":
        parts.append(f"{_short(status.samples_per_s)} samples/s")
    if status.device:
        parts.append(status.device)
    if status.rss_mb is not None:
        parts.append(f"RAM {status.rss_mb:.0f} MB")
    if status.gpu_mb is not None:
        parts.append(f"GPU {status.gpu_mb:.0f} MB")
    second.append(" · ".join(parts), "dim")
    lines = [line for line in (first, second) if line.plain]
    for line in lines:
        line.truncate(width, overflow="ellipsis")
    return lines


def _pack(entries: Sequence[Text], width: int) -> list[Text]:
    """Legend entries on as few lines of ``width`` cells as they fit."""
    lines: list[Text] = []
    for entry in entries:
        if lines and lines[-1].cell_len + 2 + entry.cell_len <= width:
            lines[-1].append("  ")
            lines[-1].append_text(entry)
        else:
            lines.append(entry.copy())
    for line in lines:
        line.truncate(width, overflow="ellipsis")
    return lines


class Dashboard(Widget, can_focus=True):
    """Live training curves, grouped and smoothed, with the run's header and output tail.

    The lesson screen feeds it with :meth:`apply_batch` (or :meth:`add_points`) and calls
    ``refresh()`` when that returns True, at most once per tick.
    """

    DEFAULT_CSS = """
    Dashboard { height: 1fr; width: 1fr; padding: 0 1; }
    """
    # Not in the footer: at 80 columns they would push the lesson's own keys (Hint, Solution)
    # out of it. The dashboard shows them itself, on its last line, while it has the focus.
    BINDINGS = [
        Binding("s", "cycle_smoothing", "Smooth", show=False),
        Binding("l", "toggle_log", "Log-y", show=False),
        Binding("g", "toggle_ghost", "Reference", show=False),
        Binding("left_square_bracket", "group(-1)", "Previous group", show=False),
        Binding("right_square_bracket", "group(1)", "Group", show=False),
        Binding("o", "toggle_logs", "Output", show=False),
    ]
    KEYS = (("s", "smooth"), ("l", "log-y"), ("g", "reference"), ("[ ]", "group"),
            ("o", "output"))

    class GhostRequested(Message):
        """The learner asked for the reference solution's curves.

        Answer with ``dashboard.follow_reference(ghost)`` (or, with the curves at hand,
        ``dashboard.set_run(run_id, label, metrics, ghost=True)``).
        """

        def __init__(self, dashboard: Dashboard, metrics: tuple[str, ...]) -> None:
            super().__init__()
            self.dashboard = dashboard
            self.metrics = metrics  # the metric names the live run reported

        @property
        def control(self) -> Dashboard:
            return self.dashboard

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.model = DashboardModel()
        self.smoothing_index = 0
        self.log_y = False
        self.show_ghost = True
        self.show_logs = True
        self.selected = 0
        self.ghost_asked = False
        self.reference: Ghost | None = None  # the reference run followed, until it ends
        self.chart_renders = 0  # how many times the charts were drawn (not taken from cache)
        self._cache: tuple[tuple[object, ...], list[Text]] | None = None
        self._drawn_at = 0.0
        self._draw_cost = 0.0
        self._refresh_timer: Timer | None = None
        self._clock: Timer | None = None

    def on_mount(self) -> None:
        self._clock = self.set_interval(1.0, self._tick_clock, pause=True)

    def on_show(self) -> None:
        """Take the focus when the tab opens with nothing focused, so the keys work at once."""
        if self.screen.focused is None:
            self.focus()

    # -------------------------------------------------------------- feeding
    @property
    def smoothing(self) -> float:
        return SMOOTHING_LEVELS[self.smoothing_index]

    @property
    def series(self) -> dict[str, list[Point]]:
        """The live curves by name (``run/name`` for a named run), ghosts left out."""
        return {
            f"{run.run_id}/{s.name}" if run.run_id else s.name: s.points
            for run in self.model.runs.values()
            if not run.ghost
            for s in run.series.values()
        }

    def add_points(self, rows: Iterable[tuple[int, str, float]]) -> bool:
        """Append (step, name, value) rows; ``run/name`` goes to run ``run`` (an overlay).

        True if anything was added; a step that goes back starts ``name #2``.
        """
        by_run: dict[str, list[tuple[float, str, float]]] = {}
        for step, name, value in rows:
            run_id, _, metric = name.rpartition("/")
            by_run.setdefault(run_id, []).append((step, metric, value))
        added = False
        for run_id, run_rows in by_run.items():
            added = self.model.extend(run_id, run_rows) or added
        return added

    def set_run(
        self,
        run_id: str,
        label: str,
        metrics: Mapping[str, Sequence[tuple[float, float]]],
        ghost: bool = False,
    ) -> None:
        """Show a whole run: an overlay to compare with, or (``ghost``) the reference."""
        self.model.set_run(run_id, label, metrics, ghost)
        if ghost:
            self.show_ghost = True
        self.refresh()

    def remove_run(self, run_id: str) -> None:
        """Stop showing a run (an overlay or the reference)."""
        if self.model.remove_run(run_id):
            self.refresh()

    def extend_run(self, run_id: str, rows: Iterable[tuple[int, str, float]]) -> bool:
        """Append a recorded run's new (step, name, value) rows to its curves (an overlay or
        the reference); True if any. Its own overlays (``run/name`` rows) are left out."""
        return self.model.extend(run_id, [row for row in rows if "/" not in row[1]])

    def follow_reference(self, ghost: Ghost) -> None:
        """Show the reference run ``ghost``; :meth:`poll_reference` grows its curve."""
        self.reference = ghost
        self.set_run(GHOST_ID, ghost.label, {}, ghost=True)

    def poll_reference(self) -> bool:
        """Add what the reference run recorded since the last call; True if its curve grew.

        A store error is skipped (the next call tries again); once the run ended, its
        curve stays and :attr:`reference` is None.
        """
        ghost = self.reference
        if ghost is None:
            return False
        try:
            rows = ghost.poll()
        except Exception:  # noqa: BLE001 - a busy or damaged store: try again next call
            return False
        if ghost.finished:
            self.reference = None
        return self.extend_run(GHOST_ID, rows)

    def drop_reference(self) -> None:
        """Stop following the reference run and stop showing its curve."""
        self.reference = None
        self.remove_run(GHOST_ID)

    def begin(self, state: str = "running") -> None:
        """A new run starts: no curves, a fresh header whose clock ticks each second."""
        self.model.begin(time.monotonic(), state)
        self.ghost_asked = False
        if self._clock is not None:
            self._clock.resume()
        self.refresh()

    def apply_batch(self, batch: Batch) -> bool:
        """Take what one tick brought (metrics, output, progress, device, memory, end);
        True if anything changed."""
        status = self.model.status
        changed = self.add_points(batch.metrics)
        for stream, text in batch.output:
            status.add_output(stream, text)
            changed = True
        if batch.progress is not None:
            changed = self._progress(batch.progress) or changed
        if batch.device is not None:
            device, name = batch.device
            status.device = device if name.lower() in ("", device.lower()) else f"{device} · {name}"
            changed = True
        resources = batch.notes.get("resources")
        if isinstance(resources, dict):
            changed = self._memory(resources.get("rss_mb"), resources.get("gpu_mb")) or changed
        if batch.end is not None:
            duration = as_float(batch.end.get("duration_s"))
            status.finish(str(batch.end.get("status", "error")), duration)
            changed = True
        return changed

    def _progress(self, event: Event) -> bool:
        done, total = as_float(event.get("done")), as_float(event.get("total"))
        if not math.isfinite(done):
            return False
        self.model.status.update_progress(
            done,
            total if math.isfinite(total) else 0.0,
            time.monotonic(),
            str(event.get("unit") or ""),
            str(event.get("note") or ""),
        )
        return True

    def _memory(self, rss_mb: object, gpu_mb: object) -> bool:
        status = self.model.status
        rss, gpu = as_float(rss_mb), as_float(gpu_mb)
        rss = rss if math.isfinite(rss) else None
        gpu = gpu if math.isfinite(gpu) else status.gpu_mb
        if (status.rss_mb, status.gpu_mb) == (rss, gpu):
            return False
        status.rss_mb, status.gpu_mb = rss, gpu
        return True

    def _tick_clock(self) -> None:
        if self.model.status.running:
            self.refresh()
        elif self._clock is not None:
            self._clock.pause()

    # --------------------------------------------------------------- actions
    def action_cycle_smoothing(self) -> None:
        self.smoothing_index = (self.smoothing_index + 1) % len(SMOOTHING_LEVELS)
        self.refresh()

    def action_toggle_log(self) -> None:
        self.log_y = not self.log_y
        self.refresh()

    def action_toggle_ghost(self) -> None:
        if self.model.has_ghost:
            self.show_ghost = not self.show_ghost
        else:
            primary = self.model.primary
            names = tuple(primary.series) if primary is not None else ()
            self.post_message(self.GhostRequested(self, names))
            self.ghost_asked = True
        self.refresh()

    def action_group(self, delta: int) -> None:
        if self.model.groups:
            self.selected = (self.selected + delta) % len(self.model.groups)
            self.refresh()

    def action_toggle_logs(self) -> None:
        self.show_logs = not self.show_logs
        self.refresh()

    # ---------------------------------------------------------------- render
    def render(self) -> RenderableType:
        width, height = max(1, self.size.width), max(1, self.size.height)
        status = self.model.status
        head = header_lines(status, width, time.monotonic())
        tail: list[Text] = []
        if self.show_logs:
            for stream, line in status.last_lines(LOG_SHOWN):
                style = "dim red" if stream == "stderr" else "dim"
                tail.append(Text(fit(f"› {line}", width), style))
        if self.has_focus and height > len(head) + len(tail) + 2:
            tail.append(self._keys(width))
        if self.model.empty:
            body = [Text(line, style="dim") for line in textwrap.wrap(EMPTY, width)]
            if tail:  # the output and the keys at the bottom, where they are once curves come
                body.extend(Text() for _ in range(max(0, height - len(head) - len(body)
                                                       - len(tail))))
        else:
            body = self._charts(width, max(1, height - len(head) - len(tail)))
        return Text("\n").join([*head, *body, *tail])

    def _keys(self, width: int) -> Text:
        """`` s smooth   l log-y   g reference ...``: the dashboard's keys, like a footer."""
        keys = Text()
        for key, label in self.KEYS:
            if keys.plain:
                keys.append(" ")
            keys.append(f" {key} ", "reverse")
            keys.append(label, "dim")
        keys.truncate(width, overflow="ellipsis")
        return keys

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def _charts(self, width: int, height: int) -> list[Text]:
        groups = self.model.groups
        self.selected %= len(groups)
        key = (width, height, self.model.version, self.smoothing_index, self.log_y,
               self.show_ghost, self.selected, self.ghost_asked)
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1]
        self.chart_renders += 1
        started = time.perf_counter()
        notes = [Text(n, "bold yellow") for n in self.model.diagnoses()[:MAX_NOTES]]
        for note in notes:
            note.truncate(width * 2, overflow="ellipsis")
        note_lines = sum(math.ceil(max(1, n.cell_len) / width) for n in notes)
        room = max(1, height - 1 - note_lines)
        count = max(1, min(MAX_STACKED, len(groups), room // GROUP_HEIGHT))
        shown = [groups[(self.selected + k) % len(groups)] for k in range(count)]
        lines = [self._strip(groups, shown, width)]
        for index, group in enumerate(shown):
            share = room // count + (room % count if index == count - 1 else 0)
            lines.extend(self._group(group, width, share))
        lines.extend(notes)
        self._cache = (key, lines)
        self._drawn_at = time.monotonic()
        self._draw_cost = time.perf_counter() - started
        return lines

    def request_refresh(self) -> None:
        """``refresh()``, but never spending more than about a third of the UI's time drawing.

        A redraw costs more as a run's curves grow (every point is smoothed and bucketed);
        when one took ``c`` seconds, the next waits until ``3c`` after it, so a very long
        run redraws less often instead of making the app sluggish.
        """
        wait = 3 * self._draw_cost - (time.monotonic() - self._drawn_at)
        if wait <= 0:
            self.refresh()
        elif self._refresh_timer is None:
            self._refresh_timer = self.set_timer(wait, self._delayed_refresh)

    def _delayed_refresh(self) -> None:
        self._refresh_timer = None
        self.refresh()

    def _strip(self, groups: Sequence[str], shown: Sequence[str], width: int) -> Text:
        """``loss  acc  lr   smooth 0.9 · log-y``: the groups (selected reversed) and settings."""
        strip = Text()
        for group in groups:
            if strip.plain:
                strip.append(" ")
            if group == shown[0]:
                strip.append(f" {group} ", "reverse bold")
            else:
                strip.append(f" {group} ", "bold" if group in shown else "dim")
        settings = []
        if self.smoothing:
            settings.append(f"smooth {self.smoothing:g}")
        if self.log_y:
            settings.append("log-y")
        if self.model.has_ghost:
            settings.append("reference " + ("on" if self.show_ghost else "off"))
        elif self.ghost_asked:
            settings.append("reference asked for…")
        if settings:
            strip.append("  │ " + " · ".join(settings), "italic")
        strip.truncate(width, overflow="ellipsis")
        return strip

    def _group(self, group: str, width: int, height: int) -> list[Text]:
        """Legend lines then the chart of one group, ``height`` lines in all."""
        views = self.model.curves(
            group, smoothing=self.smoothing, buckets=max(1, width - 8), ghosts=self.show_ghost
        )
        styles = _styles(views)
        entries = [_legend_entry(view, style, views) for view, style in zip(views, styles, strict=True)]
        problem = self.model.log_problem(group, ghosts=self.show_ghost) if self.log_y else None
        if problem:
            entries.append(Text(problem, "yellow"))
        legend = _pack(entries, width)
        # Ghosts first, then raw curves dimmed behind their smoothed version, then the rest.
        order = sorted(range(len(views)), key=lambda i: not views[i].run.ghost)
        curves: dict[str, list[Point]] = {}
        drawn: list[CurveStyle] = []
        for i in order:
            raw = views[i].raw
            if raw is not None:
                curves[f"raw {i}"] = raw
                drawn.append(CurveStyle(styles[i].color, styles[i].marker, dim=True))
        for i in order:
            curves[f"curve {i}"] = views[i].points
            drawn.append(styles[i])
        chart = line_chart(
            curves,
            width,
            max(1, height - len(legend)),
            styles=drawn,
            log_y=self.log_y and problem is None,
        )
        return [*legend, *Text.from_ansi(chart).split("\n")]


def _styles(views: Sequence[CurveView]) -> list[CurveStyle]:
    """One colour per metric; with several runs in a chart, one colour per run and one
    marker per metric. Ghosts take their metric's colour, dimmed, in braille dots."""
    live = list(dict.fromkeys(v.run.run_id for v in views if not v.run.ghost))
    names = list(dict.fromkeys(v.series.name for v in views))
    several = len(live) > 1
    styles = []
    for view in views:
        metric = names.index(view.series.name)
        if view.run.ghost:
            styles.append(CurveStyle(series_color(metric), "braille", dim=True))
        elif several:
            run = live.index(view.run.run_id)
            styles.append(CurveStyle(series_color(run), MARKERS[metric % len(MARKERS)]))
        else:
            styles.append(CurveStyle(series_color(metric)))
    return styles


def _legend_entry(view: CurveView, style: CurveStyle, views: Sequence[CurveView]) -> Text:
    """``━ val_loss 0.25``; ``• #12 lr=0.1 loss 0.25`` with several runs; ghosts dim."""
    several = len({v.run.run_id for v in views}) > 1
    glyph = GLYPHS.get(style.marker, style.marker or "━")
    entry = Text()
    entry.append(f"{glyph} ", f"color({style.color})" + (" dim" if style.dim else ""))
    label = ""
    if view.run.ghost:
        label = f"{view.run.label or 'reference'} "
    elif several and view.run.label:
        label = f"{view.run.label} "
    entry.append(label + view.series.name, "dim" if view.run.ghost else "bold")
    entry.append(f" {_value(view.latest)}", "dim" if view.run.ghost else "")
    return entry
