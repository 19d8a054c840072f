"""ASCII charts built with plotext (imported lazily: it costs ~0.2 s at start-up).

Every function returns the chart as text with ANSI colours (render it with
``rich.text.Text.from_ansi``), or a short plain message when the data or the
space cannot make a chart. Nothing here raises on odd data.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from homl_tui.ui.render.downsample import Point, as_float, downsample, finite_points

MIN_WIDTH = 20
MIN_HEIGHT = 5
SHADES = " ░▒▓█"
#: 256-colour indices of successive series; the same index as a Rich style is ``color(N)``.
PALETTE = (12, 10, 9, 11, 13, 14, 208, 7)


def series_color(index: int) -> int:
    """The colour (256-colour index) of the ``index``-th series or class."""
    return PALETTE[index % len(PALETTE)]


@dataclass(frozen=True)
class CurveStyle:
    """How one curve is drawn: a 256-colour index, a plotext marker (None: the default
    half blocks; or one character such as ``•``) and whether it is dimmed."""

    color: int
    marker: str | None = None
    dim: bool = False


def _marker(index: int) -> Any:
    return _styled_marker(CurveStyle(series_color(index)))


def _styled_marker(style: CurveStyle) -> Any:
    import plotext

    pixel = plotext.pixel(foreground=style.color, style="dim" if style.dim else None)
    return plotext.marker(style.marker, pixel)


def _figure(width: int, height: int, title: str) -> Any:
    import plotext

    figure = plotext.figure
    figure.clear()
    figure.plot_size(width, height)
    figure.theme("simple")
    if title:
        figure.title(title)
    return figure


def _build(figure: Any) -> str:
    return str(figure.build().string())


def _too_small(width: int, height: int) -> str | None:
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        return "(not enough room for the chart)"
    return None


def line_chart(
    series: Mapping[str, Sequence[Point]],
    width: int,
    height: int,
    title: str = "",
    *,
    styles: Sequence[CurveStyle] | None = None,
    log_y: bool = False,
) -> str:
    """One curve per name, no legend, drawn in order (the last on top).

    Curves are coloured by position (see :func:`series_color`) unless ``styles``
    gives one :class:`CurveStyle` per curve. ``log_y`` needs positive values (the
    caller checks). Long series are downsampled to the chart width.
    """
    small = _too_small(width, height)
    if small:
        return small
    curves = [downsample(finite_points(points), max(1, width - 8)) for points in series.values()]
    if not any(curves):
        return "(no finite values to draw yet)"
    try:
        figure = _figure(width, height, title)
        if log_y:
            figure.ruler("y").scale("log")
        for index, points in enumerate(curves):
            if not points:
                continue
            style = styles[index] if styles is not None else CurveStyle(series_color(index))
            signal = figure.signal(
                [p[0] for p in points], [p[1] for p in points], marker=_styled_marker(style)
            )
            if len(points) > 1:
                signal.lines()
            figure.draw(signal)
        return _build(figure)
    except Exception as exc:  # noqa: BLE001 - a chart must never take the UI down
        return f"(could not draw the chart: {exc})"


def scatter_chart(
    y: Sequence[float],
    x: Sequence[float] | None,
    labels: Sequence[int] | None,
    width: int,
    height: int,
    title: str = "",
    lines: Mapping[str, Sequence[Point]] | None = None,
) -> str:
    """Points, one colour per integer label (in sorted label order), no legend.

    ``lines`` are extra curves drawn over the points, coloured after the point groups.
    """
    small = _too_small(width, height)
    if small:
        return small
    xs = list(x) if x is not None else list(range(1, len(y) + 1))
    groups: dict[int | None, list[Point]] = {}
    for i, (xv, yv) in enumerate(zip(xs, y, strict=False)):
        label = labels[i] if labels is not None and i < len(labels) else None
        groups.setdefault(label, []).append((float(xv), float(yv)))
    try:
        figure = _figure(width, height, title)
        drawn = False
        ordered = sorted(groups.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))
        # Lines first, so that points lying on a curve stay visible.
        for offset, curve in enumerate((lines or {}).values()):
            line_points = sorted(finite_points(curve))
            if len(line_points) < 2:
                continue
            signal = figure.signal(
                [p[0] for p in line_points], [p[1] for p in line_points],
                marker=_marker(len(ordered) + offset),
            )
            figure.draw(signal.lines())
            drawn = True
        for index, (_, points) in enumerate(ordered):
            points = finite_points(points)
            if not points:
                continue
            figure.draw(
                figure.signal([p[0] for p in points], [p[1] for p in points], marker=_marker(index))
            )
            drawn = True
        return _build(figure) if drawn else "(no finite values to draw)"
    except Exception as exc:  # noqa: BLE001
        return f"(could not draw the chart: {exc})"


def bar_chart(
    categories: Sequence[Any], values: Sequence[float], width: int, height: int, title: str = ""
) -> str:
    """Bars with category names under them."""
    small = _too_small(width, height)
    if small:
        return small
    pairs = [
        (str(c), float(v))
        for c, v in zip(categories, values, strict=False)
        if isinstance(v, (int, float)) and math.isfinite(v)
    ]
    if not pairs:
        return "(no finite values to draw)"
    try:
        figure = _figure(width, height, title)
        figure.draw(figure.bar([p[0] for p in pairs], [p[1] for p in pairs]))
        return _build(figure)
    except Exception as exc:  # noqa: BLE001
        return f"(could not draw the chart: {exc})"


def shade_image(image: Sequence[Sequence[Any]], width: int, height: int) -> list[str]:
    """A 2-D array of intensities as rows of shaded blocks, scaled to fit ``width`` x ``height``.

    Each pixel is two characters wide (cells are about twice as tall as wide);
    NaN shows as ``?``.
    """
    rows = [[as_float(v) for v in row] for row in image if isinstance(row, (list, tuple))]
    rows = [row for row in rows if row]
    if not rows or width < 2 or height < 1:
        return ["(empty image)"]
    n_rows, n_cols = len(rows), max(len(r) for r in rows)
    finite = [v for row in rows for v in row if math.isfinite(v)]
    low, high = (min(finite), max(finite)) if finite else (0.0, 1.0)
    span = (high - low) or 1.0
    out_rows = min(n_rows, height)
    out_cols = min(n_cols, max(1, width // 2))
    lines = []
    for r in range(out_rows):
        source = rows[r * n_rows // out_rows]
        line = []
        for c in range(out_cols):
            col = c * n_cols // out_cols
            value = source[col] if col < len(source) else math.nan
            if not math.isfinite(value):
                line.append("??")
                continue
            level = int((value - low) / span * (len(SHADES) - 1) + 0.5)
            line.append(SHADES[level] * 2)
        lines.append("".join(line))
    return lines
