"""Plots sent with ``report.plot``/``report.boundary``: line, scatter, bar, an image as shaded
blocks, a shaded number matrix, or decision regions with points."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.widget import Widget

from homl_tui.runtime.events import Event
from homl_tui.ui.render.downsample import as_floats

EMPTY = (
    "No plots yet. Code that calls report.plot(name, y, x, kind=...) "
    "shows its plots here (line, scatter, bar, image, matrix; report.boundary draws "
    "decision regions)."
)
MAX_PLOTS = 4


def _overlay(event: Event) -> dict[str, list[tuple[float, float]]]:
    """The ``overlay`` curves of a plot event, as points (malformed entries are skipped)."""
    raw = event.get("overlay")
    curves: dict[str, list[tuple[float, float]]] = {}
    if not isinstance(raw, dict):
        return curves
    for name, curve in raw.items():
        if isinstance(curve, dict):
            curves[str(name)] = list(
                zip(as_floats(curve.get("x")), as_floats(curve.get("y")), strict=False)
            )
    return curves


def render_plot(event: Event, width: int, height: int) -> Text:
    """One ``plot`` event as text of at most ``height`` lines."""
    from homl_tui.ui.render import charts

    kind = str(event.get("plot", "line"))
    name = str(event.get("name", "plot"))
    title = str(event.get("title") or name)
    header = Text(f"{title}  ({kind})", style="bold")
    if kind in ("matrix", "boundary"):
        from homl_tui.ui.render import grids

        if kind == "boundary":
            classes = event.get("classes") if isinstance(event.get("classes"), list) else []
            for index, label in enumerate(classes[: len(charts.PALETTE)]):
                header.append("  ● ", f"color({charts.series_color(index)})")
                header.append(str(label))
            body = grids.boundary_text(event, width, height - 1)
        else:
            rows = event.get("image") if isinstance(event.get("image"), list) else []
            names = event.get("x") if isinstance(event.get("x"), list) else None
            body = grids.matrix_text(
                rows, names, width, height - 1,
                str(event.get("xlabel") or ""), str(event.get("ylabel") or ""),
            )
    elif kind == "image":
        rows = event.get("image") if isinstance(event.get("image"), list) else []
        body = Text("\n".join(charts.shade_image(rows, width, height - 1)))
    elif kind == "bar":
        body = Text.from_ansi(
            charts.bar_chart(
                [str(v) for v in event.get("x") or []]
                or [str(i) for i in range(len(event.get("y") or []))],
                as_floats(event.get("y")),
                width,
                height - 1,
            )
        )
    elif kind == "scatter":
        labels = event.get("labels")
        groups = sorted(set(labels)) if isinstance(labels, list) else [None]
        if isinstance(labels, list):
            for index, label in enumerate(groups[: len(charts.PALETTE)]):
                header.append("  ● ", f"color({charts.series_color(index)})")
                header.append(f"class {label}")
        overlay = _overlay(event)
        for offset, curve_name in enumerate(overlay):
            header.append("  ─ ", f"color({charts.series_color(len(groups) + offset)})")
            header.append(curve_name)
        body = Text.from_ansi(
            charts.scatter_chart(
                as_floats(event.get("y")),
                as_floats(event["x"]) if event.get("x") else None,
                [int(v) for v in labels] if isinstance(labels, list) else None,
                width,
                height - 1,
                lines=overlay,
            )
        )
    else:
        y = as_floats(event.get("y"))
        x = as_floats(event["x"]) if event.get("x") else [float(i) for i in range(len(y))]
        curves = {name: list(zip(x, y, strict=False)), **_overlay(event)}
        if len(curves) > 1:
            for index, curve_name in enumerate(curves):
                header.append("  ─ ", f"color({charts.series_color(index)})")
                header.append(curve_name)
        body = Text.from_ansi(charts.line_chart(curves, width, height - 1))
    header.append("\n")
    header.append_text(body)
    return header


MIN_PLOT_HEIGHT = 6


def natural_height(event: Event) -> int | None:
    """Lines a matrix or image needs to show whole (title included); None = any height."""
    kind = event.get("plot")
    rows = event.get("image")
    if kind in ("matrix", "image") and isinstance(rows, list):
        extra = 3 + (1 if event.get("xlabel") else 0) if kind == "matrix" else 1
        return len(rows) + extra
    return None


def share_height(needs: list[int | None], total: int) -> list[int]:
    """Split ``total`` lines between plots: fixed-size ones get what they need when that
    leaves the others at least ``MIN_PLOT_HEIGHT`` lines each; otherwise equal shares."""
    if not needs:
        return []
    flexible = sum(1 for n in needs if n is None)
    fixed = sum(n for n in needs if n is not None)
    if fixed + flexible * MIN_PLOT_HEIGHT > total:
        # Not enough room: everyone gets a share in proportion to what they would like.
        wants = [n if n is not None else 2 * MIN_PLOT_HEIGHT for n in needs]
        scale = total / sum(wants)
        shares = [max(MIN_PLOT_HEIGHT, int(w * scale)) for w in wants]
        shares[-1] = max(MIN_PLOT_HEIGHT, shares[-1] + total - sum(shares))
        return shares
    rest = total - fixed
    each = rest // flexible if flexible else 0
    return [n if n is not None else max(MIN_PLOT_HEIGHT, each) for n in needs]


class PlotPanel(Widget):
    """The latest plot per name (the most recent first, up to four), stacked."""

    DEFAULT_CSS = """
    PlotPanel { height: 1fr; width: 1fr; padding: 0 1; display: none;
                border-top: solid $primary-darken-2; }
    PlotPanel.-shown { display: block; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.plots: dict[str, Event] = {}
        self._version = 0
        self._cache: tuple[tuple[int, int, int], Text] | None = None

    def update_plots(self, plots: dict[str, Event]) -> bool:
        """Replace plots by name (newest last); True if anything changed."""
        if not plots:
            return False
        for name, event in plots.items():
            self.plots.pop(name, None)
            self.plots[name] = event
        self._version += 1
        self.set_class(True, "-shown")
        return True

    def clear_plots(self) -> None:
        self.plots = {}
        self._version += 1
        self.set_class(False, "-shown")
        self.refresh()

    def render(self) -> RenderableType:
        if not self.plots:
            return Text(EMPTY, style="dim")
        key = (self.size.width, self.size.height, self._version)
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1]
        shown = list(self.plots.values())[-MAX_PLOTS:][::-1]
        heights = share_height([natural_height(e) for e in shown], self.size.height)
        text = Text()
        for i, (event, height) in enumerate(zip(shown, heights, strict=True)):
            if i:
                text.append("\n")
            text.append_text(render_plot(event, max(1, self.size.width), height))
        self._cache = (key, text)
        return text
