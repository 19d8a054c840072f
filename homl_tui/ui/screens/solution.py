"""The reference solution, read-only; the learner may choose to copy it into their file."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static, TextArea


class SolutionScreen(ModalScreen[bool]):
    """Dismissed with True when the learner asks to replace their file with the solution."""

    DEFAULT_CSS = """
    SolutionScreen { align: center middle; }
    SolutionScreen > Vertical { width: 95%; height: 90%; border: thick $accent;
                                background: $surface; }
    SolutionScreen #solution-title { padding: 0 1; text-style: bold; }
    SolutionScreen TextArea { height: 1fr; }
    SolutionScreen Horizontal { height: auto; align-horizontal: right; }
    SolutionScreen Button { margin-left: 2; }
    """
    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, title: str, source: str) -> None:
        super().__init__()
        self.solution_title = title
        self.source = source

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"Reference solution · {self.solution_title} (read-only)", id="solution-title"
            )
            yield TextArea.code_editor(
                self.source, language="python", read_only=True, id="solution-code"
            )
            with Horizontal():
                yield Button("Close (esc)", id="close")
                yield Button("Replace my file with it", variant="warning", id="use")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "use")

    def action_close(self) -> None:
        self.dismiss(False)
