"""Grid pictures drawn with Rich styles: a shaded number matrix and decision regions.

Both take the raw lists of a ``plot`` event (already parsed JSON), never raise on odd
data, and fit in ``width`` x ``height`` cells. Colour is a help, not the only signal:
matrix cells print their numbers, and regions use a different glyph per class.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

from rich.text import Text

from homl_tui.ui.render.charts import series_color
from homl_tui.ui.render.downsample import as_float

#: Background ramp for matrix cells, light to strong (256-colour blues).
RAMP = (235, 236, 17, 18, 19, 20, 25, 26, 27, 33)
#: Dark background per class for decision regions (matches charts.PALETTE order).
REGION_BG = (17, 22, 52, 58, 53, 23, 94, 238)
REGION_GLYPHS = "·:-~+=^\""


def _format(value: float, integers: bool) -> str:
    if not math.isfinite(value):
        return "?"
    if integers:
        return str(int(value))
    return f"{value:.2f}" if abs(value) < 100 else f"{value:.3g}"


def matrix_text(
    rows: Sequence[Sequence[Any]],
    names: Sequence[str] | None,
    width: int,
    height: int,
    xlabel: str = "",
    ylabel: str = "",
) -> Text:
    """A table of numbers with shaded cells (e.g. a confusion matrix: rows true, columns predicted).

    Rows and columns that do not fit are left out, with a note saying how many.
    """
    table = [[as_float(v) for v in row] for row in rows if isinstance(row, (list, tuple))]
    table = [row for row in table if row]
    if not table:
        return Text("(empty matrix)", style="dim")
    n_rows, n_cols = len(table), max(len(r) for r in table)
    finite = [v for row in table for v in row if math.isfinite(v)]
    integers = all(float(v).is_integer() for v in finite)
    low, high = (min(finite), max(finite)) if finite else (0.0, 1.0)
    span = (high - low) or 1.0
    labels = [str(n) for n in (names or [])]
    col_names = [labels[c] if c < len(labels) else str(c) for c in range(n_cols)]
    row_names = [labels[r] if r < len(labels) else str(r) for r in range(n_rows)]
    cell_w = max(
        [len(_format(v, integers)) for v in finite] + [len(n) for n in col_names] + [1]
    ) + 1
    cell_w = min(cell_w, 9)
    head_w = min(max([len(n) for n in row_names] + [len(ylabel) + 1]) + 1, 12)
    fit_cols = max(1, min(n_cols, (width - head_w) // (cell_w + 1)))
    room = height - 1 - (1 if xlabel else 0)
    fit_rows = max(1, min(n_rows, room))
    if fit_rows < n_rows or fit_cols < n_cols:
        fit_rows = max(1, min(fit_rows, room - 1))  # keep a line to say what is hidden
    out = Text()
    if xlabel:
        out.append(" " * head_w + f"{xlabel} →", style="dim")
        out.append("\n")
    out.append((ylabel[: head_w - 1] + "↓").rjust(head_w) if ylabel else " " * head_w, style="dim")
    for c in range(fit_cols):
        out.append(" " + col_names[c][:cell_w].rjust(cell_w), style="bold")
    for r in range(fit_rows):
        out.append("\n")
        out.append(row_names[r][: head_w - 1].rjust(head_w - 1) + " ", style="bold")
        for c in range(fit_cols):
            value = table[r][c] if c < len(table[r]) else math.nan
            out.append(" ")
            if not math.isfinite(value):
                out.append("?".rjust(cell_w), style="red")
                continue
            level = int((value - low) / span * (len(RAMP) - 1) + 0.5)
            style = f"{'bold ' if r == c else ''}color(255) on color({RAMP[level]})"
            out.append(_format(value, integers).rjust(cell_w), style=style)
    hidden = []
    if fit_rows < n_rows:
        hidden.append(f"{n_rows - fit_rows} rows")
    if fit_cols < n_cols:
        hidden.append(f"{n_cols - fit_cols} columns")
    if hidden and fit_rows < room:
        out.append("\n")
        out.append(f"(+{', '.join(hidden)} not shown)", style="dim")
    return out


def boundary_text(event: dict[str, Any], width: int, height: int) -> Text:
    """Decision regions (background colour and glyph per class) with the data points on top."""
    grid = event.get("grid")
    extent = event.get("extent")
    if not (isinstance(grid, list) and grid and isinstance(extent, list) and len(extent) == 4):
        return Text("(no decision regions in this plot)", style="dim")
    rows_in = [row for row in grid if isinstance(row, list) and row]
    if not rows_in:
        return Text("(no decision regions in this plot)", style="dim")
    x0, x1, y0, y1 = (as_float(v) for v in extent)
    if not all(math.isfinite(v) for v in (x0, x1, y0, y1)) or x1 <= x0 or y1 <= y0:
        return Text("(bad extent for the decision regions)", style="dim")
    cols, rows = max(4, width), max(3, height)
    gh, gw = len(rows_in), max(len(r) for r in rows_in)

    def region(r: int, c: int) -> int:
        source = rows_in[min(gh - 1, r * gh // rows)]
        value = source[min(len(source) - 1, c * gw // cols)]
        return int(value) if isinstance(value, (int, float)) and math.isfinite(value) else -1

    # Points: the most common label among the points that land in each cell.
    xs, ys, labels = event.get("x") or [], event.get("y") or [], event.get("labels") or []
    cells: dict[tuple[int, int], Counter[int]] = {}
    for px, py, label in zip(xs, ys, labels, strict=False):
        fx, fy = as_float(px), as_float(py)
        if not (math.isfinite(fx) and math.isfinite(fy)) or not isinstance(label, int):
            continue
        c = int((fx - x0) / (x1 - x0) * cols)
        r = int((y1 - fy) / (y1 - y0) * rows)
        if 0 <= r < rows and 0 <= c < cols:
            cells.setdefault((r, c), Counter())[label] += 1
    out = Text()
    for r in range(rows):
        if r:
            out.append("\n")
        for c in range(cols):
            k = region(r, c)
            bg = f" on color({REGION_BG[k % len(REGION_BG)]})" if k >= 0 else ""
            point = cells.get((r, c))
            if point:
                label = point.most_common(1)[0][0]
                out.append("●", style=f"bold color({series_color(label)}){bg}")
            else:
                glyph = REGION_GLYPHS[k % len(REGION_GLYPHS)] if k >= 0 else "?"
                out.append(glyph, style=f"color(244){bg}")
    return out
