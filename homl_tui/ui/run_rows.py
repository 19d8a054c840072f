"""What the runs screen shows of a run: the columns that fit the terminal, a row's cells,
the lines on the highlighted run, and the run's last loss, read a little at a time.

Plain functions over :class:`~homl_tui.store.runs.RunInfo` and Rich text; no widgets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rich.text import Text

from homl_tui.runs_cli import MARKS
from homl_tui.store.runs import RunInfo, Runs, duration_text
from homl_tui.ui.render import fit

SCROLLBAR = 2  # kept free so that a vertical scrollbar never forces a horizontal one
PADDING = 2  # the table's cell padding, left and right
STATUS_STYLES = {
    "ok": "green",
    "running": "cyan",
    "starting": "cyan",
    "cancelled": "dim",
    "lost": "yellow",
    "stopping": "yellow",
}


@dataclass(frozen=True)
class Column:
    """A table column: its key, header and width in cells (without padding)."""

    key: str
    header: str
    width: int


def columns_for(width: int) -> tuple[Column, ...]:
    """The columns that fit a screen ``width`` cells wide: the device only when there is room,
    the exercise and the settings sharing what the fixed columns leave."""
    fixed = [
        Column("id", "#", 6),
        Column("status", "status", 11),
        Column("mode", "mode", 5),
        Column("time", "time", 6),
        Column("loss", "loss", 7),
    ]
    room = width - SCROLLBAR - sum(c.width + PADDING for c in fixed) - 2 * PADDING
    device = room >= 40
    if device:
        room -= 6 + PADDING
    exercise = min(24, max(10, room // 2 + 2))
    settings = min(40, room - exercise)
    columns = [*fixed[:2], Column("exercise", "exercise", exercise), fixed[2]]
    if device:
        columns.append(Column("device", "device", 6))
    columns += fixed[3:]
    if settings >= 6:
        columns.append(Column("settings", "settings", settings))
    return tuple(columns)


@dataclass(frozen=True)
class RunRow:
    """One run as listed: what the store recorded and the last value of its loss
    (``loss_read`` is False while that value is older than the run's last record)."""

    info: RunInfo
    loss: float | None
    loss_read: bool = True


@dataclass
class LossReader:
    """The last value of a run's first metric whose name says "loss" (one small query)."""

    name: str | None = None
    value: float | None = None
    read_at: tuple[str, float | None] | None = None  # the run's (status, heartbeat) then

    def read(self, runs: Runs, info: RunInfo) -> float | None:
        last = runs.last_values(info.id)
        if self.name is None:
            self.name = next((name for name in last if "loss" in name.lower()), None)
        if self.name is not None:
            self.value = last.get(self.name, self.value)
        self.read_at = (info.status, info.heartbeat)
        return self.value


def value_text(value: float | None) -> str:
    """A metric value in seven cells at most: ``0.1234``, ``1.2e-05``, ``nan``; ``-`` if none."""
    if value is None:
        return "-"
    if not math.isfinite(value) or value == 0 or 1e-3 <= abs(value) < 1e4:
        return f"{value:.4g}"
    return f"{value:.1e}"


def status_cell(status: str) -> Text:
    """``▶ running``, ``✔ ok``, ``■ cancelled``..., coloured."""
    mark = "■" if status == "stopping" else MARKS.get(status, "!")
    return Text(f"{mark} {status}", style=STATUS_STYLES.get(status, "red"))


def row_cells(
    row: RunRow, columns: tuple[Column, ...], *, marked: bool, stopping: bool, now: float
) -> tuple[Text, ...]:
    """The cells of one run's row, for ``columns``."""
    info = row.info
    cells: list[Text] = []
    for column in columns:
        if column.key == "id":
            cell = Text.assemble(("◆" if marked else " ", "bold magenta"), f" {info.id}")
        elif column.key == "status":
            cell = status_cell("stopping" if stopping and info.active else info.status)
        elif column.key == "exercise":
            reference = info.kind == "reference"
            cell = Text(fit(info.exercise, column.width - 4 * reference))
            if reference:
                cell.append(" ref", "italic magenta")
        elif column.key == "mode":
            cell = Text(info.mode)
        elif column.key == "device":
            cell = Text(fit(info.device or "-", column.width))
        elif column.key == "time":
            cell = Text(duration_text(info.duration_s(now)), justify="right")
        elif column.key == "loss":
            known = row.loss_read or row.loss is not None
            cell = Text(value_text(row.loss) if known else "…", justify="right")
        else:
            cell = Text(fit(info.settings, column.width), style="dim")
        cells.append(cell)
    return tuple(cells)


def detail_text(info: RunInfo, now: float) -> Text:
    """Two lines on the highlighted run: how it went, where, and what it was run with."""
    kind = "reference solution" if info.kind == "reference" else "your file"
    outcome = f" ({info.outcome})" if info.outcome and info.mode == "check" else ""
    device = info.device_name or info.device
    text = Text.assemble(
        (f"#{info.id} {info.exercise}", "bold"),
        f" · {info.mode} of {kind} · {info.status}{outcome} · "
        f"{duration_text(info.duration_s(now))}",
        f" · {device}" if device else "",
        "\n",
    )
    extras = [info.settings or "no settings reported"]
    if info.resumed_from:
        extras.append(f"resumed from #{info.resumed_from}")
    if info.checkpoint:
        extras.append("checkpoint saved (r resumes)")
    if info.message:
        extras.append(info.message.splitlines()[0])
    text.append(" · ".join(extras), "dim")
    return text
