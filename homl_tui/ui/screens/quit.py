"""Quitting while runs are going: keep them (the default), stop them, or stay."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

KEEP, STOP = "keep", "stop"


class QuitScreen(ModalScreen[str | None]):
    """Dismissed with ``"keep"`` (k / enter), ``"stop"`` (s) or None (escape: do not quit)."""

    DEFAULT_CSS = """
    QuitScreen { align: center middle; }
    QuitScreen > Vertical { width: 70; max-width: 95%; height: auto; padding: 1 2;
                            border: thick $primary; background: $surface; }
    QuitScreen #question { margin-bottom: 1; }
    QuitScreen Horizontal { height: auto; align-horizontal: right; }
    QuitScreen Button { margin-left: 1; }
    """
    BINDINGS = [
        Binding("k", "answer('keep')", "Keep running"),
        Binding("s", "answer('stop')", "Stop runs"),
        Binding("escape", "answer(None)", "Stay"),
    ]

    def __init__(self, runs: list[str]) -> None:
        super().__init__()
        self.runs = runs

    def compose(self) -> ComposeResult:
        shown = "\n".join(f"  {line}" for line in self.runs[:5])
        more = f"\n  … and {len(self.runs) - 5} more" if len(self.runs) > 5 else ""
        question = (
            f"{'A run is' if len(self.runs) == 1 else f'{len(self.runs)} runs are'} still going:\n"
            f"{shown}{more}\n\n"
            "They keep going after you quit, and homl-tui shows them again when you come back "
            "(F6, or `homl-tui runs`)."
        )
        with Vertical():
            yield Static(question, id="question")
            with Horizontal():
                yield Button("Stay (esc)", id="stay")
                yield Button("Stop them and quit (s)", variant="error", id="stop")
                yield Button("Quit, keep running (k)", variant="primary", id="keep")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss({"keep": KEEP, "stop": STOP}.get(event.button.id or ""))

    def action_answer(self, answer: str | None) -> None:
        self.dismiss(answer)
