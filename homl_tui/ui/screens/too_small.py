"""Shown instead of the app while the terminal is smaller than the layout needs."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

MIN_WIDTH, MIN_HEIGHT = 60, 16


def too_small(width: int, height: int) -> bool:
    """True when a ``width`` x ``height`` terminal cannot hold the layout."""
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmallScreen(Screen[None]):
    """Says how big the terminal must be; goes away by itself once it is big enough.

    It covers the whole app (the screens below are not laid out while it shows), and its
    own keys are none: ctrl+q still quits.
    """

    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; background: $background; }
    TooSmallScreen #too-small { width: auto; max-width: 100%; height: auto; padding: 0 1;
                                color: $warning; text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="too-small")

    def on_mount(self) -> None:
        self._update(self.app.size.width, self.app.size.height)

    def on_screen_resume(self) -> None:
        self._update(self.app.size.width, self.app.size.height)

    def on_resize(self, event: events.Resize) -> None:
        self._update(event.size.width, event.size.height)

    @property
    def message(self) -> str:
        return str(self.query_one("#too-small", Static).render())

    def _update(self, width: int, height: int) -> None:
        if not too_small(width, height):
            if self.app.screen is self:
                self.dismiss()
            return
        self.query_one("#too-small", Static).update(
            f"Terminal too small ({width}x{height}): homl-tui needs at least "
            f"{MIN_WIDTH}x{MIN_HEIGHT}. Make the window bigger or the font smaller; "
            "ctrl+q quits."
        )
