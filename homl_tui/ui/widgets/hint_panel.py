"""Graded hints, shown one level at a time."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static


class HintPanel(Static):
    """The hints revealed so far for the current exercise (hidden while there are none)."""

    DEFAULT_CSS = """
    HintPanel { height: auto; max-height: 10; padding: 0 1; border-left: thick $accent;
                display: none; }
    HintPanel.-shown { display: block; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.shown: list[str] = []

    def show_hints(self, hints: Sequence[str], level: int) -> None:
        """Show hints 1..``level`` of ``hints``."""
        self.shown = list(hints[:level])
        text = Text()
        for number, hint in enumerate(self.shown, start=1):
            if number > 1:
                text.append("\n")
            text.append(f"Hint {number}/{len(hints)}: ", "bold")
            text.append(hint)
        self.update(text)
        self.set_class(bool(self.shown), "-shown")
