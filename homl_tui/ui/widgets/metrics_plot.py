"""Live metric curves (one per metric name), drawn with plotext and redrawn only on change."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import RenderableType
from rich.text import Text
from textual.widget import Widget

from homl_tui.ui.render.downsample import Point, first_non_finite

EMPTY = (
    "No metrics yet. Code that calls report.metric(step=..., loss=...) "
    "draws its curves here while it runs."
)


class MetricsPlot(Widget):
    """Series of (step, value) per metric name; :meth:`add_points` then ``refresh()`` once."""

    DEFAULT_CSS = """
    MetricsPlot { height: 1fr; width: 1fr; padding: 0 1; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.series: dict[str, list[Point]] = {}
        self._current: dict[str, str] = {}  # metric name -> the series it is appended to
        self.title = "metrics"
        self._version = 0
        self._cache: tuple[tuple[int, int, int], Text] | None = None

    def add_points(self, rows: Iterable[tuple[int, str, float]]) -> bool:
        """Append (step, name, value) rows; True if anything was added.

        When the step of a metric goes back (a second training run inside the
        same check, say), its points start a new curve ``name #2`` instead of
        zig-zagging over the first one.
        """
        added = False
        for step, name, value in rows:
            key = self._current.get(name, name)
            points = self.series.get(key)
            if points and step < points[-1][0]:
                number = 2
                while f"{name} #{number}" in self.series:
                    number += 1
                key = self._current[name] = f"{name} #{number}"
            self.series.setdefault(key, []).append((float(step), float(value)))
            added = True
        if added:
            self._version += 1
        return added

    def clear_series(self) -> None:
        self.series = {}
        self._current = {}
        self._version += 1
        self.refresh()

    def warnings(self) -> list[str]:
        """``loss became NaN at step 12`` for each series that went non-finite."""
        notes = []
        for name, points in self.series.items():
            bad = first_non_finite(points)
            if bad is not None:
                notes.append(
                    f"{name} became {bad[1]} at step {int(bad[0])}: the curve stops "
                    "there (a learning rate too high, or a log of 0?)"
                )
        return notes

    def summary(self) -> Text:
        """The last value of each series in its curve's colour: ``━ loss 0.25  ━ acc 0.91``."""
        from homl_tui.ui.render.charts import series_color

        text = Text()
        for index, (name, points) in enumerate(self.series.items()):
            if index:
                text.append("  ")
            text.append("━ ", f"color({series_color(index)})")
            text.append(name, "bold")
            if points:
                text.append(f" {points[-1][1]:.4g}")
        return text

    def render(self) -> RenderableType:
        if not self.series:
            return Text(EMPTY, style="dim")
        key = (self.size.width, self.size.height, self._version)
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1]
        from homl_tui.ui.render.charts import line_chart

        notes = self.warnings()
        height = max(1, self.size.height - 1 - len(notes))
        chart = line_chart(self.series, max(1, self.size.width), height, "")
        text = self.summary()
        text.append("\n")
        text.append_text(Text.from_ansi(chart))
        for note in notes:
            text.append("\n" + note, style="bold yellow")
        self._cache = (key, text)
        return text
