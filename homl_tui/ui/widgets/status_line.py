"""One line under the panels: compute device, run state and the last check outcome."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from homl_tui.outcome import Outcome

OUTCOME_STYLES = {
    Outcome.PASS: "bold green",
    Outcome.FAIL: "bold red",
    Outcome.NOT_ATTEMPTED: "bold yellow",
    Outcome.ERROR: "bold red",
    Outcome.TIMEOUT: "bold yellow",
    Outcome.CANCELLED: "dim",
}


class StatusLine(Static):
    """``device: cpu · running 3s · last: PASS ✔`` (updated by the lesson screen)."""

    DEFAULT_CSS = """
    StatusLine { width: 1fr; height: 1; padding: 0 1; background: $boost; }
    """

    def __init__(self, device: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.device = f"{device} (setting)"
        self.state = "idle"
        self.outcome: Outcome | None = None
        self.exercise = ""

    def on_mount(self) -> None:
        self.refresh_line()

    def set_device(self, device: str, name: str) -> None:
        self.device = device if name in ("", device) else f"{device} · {name}"
        self.refresh_line()

    def set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.refresh_line()

    def set_outcome(self, outcome: Outcome | None) -> None:
        self.outcome = outcome
        self.refresh_line()

    def set_exercise(self, name: str) -> None:
        self.exercise = name
        self.refresh_line()

    def refresh_line(self) -> None:
        state_style = "bold cyan" if self.state.startswith("running") else ""
        text = Text.assemble(
            ("device ", "dim"),
            self.device,
            ("  │  ", "dim"),
            (self.state, state_style),
            ("  │  ", "dim"),
            ("last ", "dim"),
        )
        if self.outcome is None:
            text.append("—")
        else:
            text.append(
                f"{self.outcome.value} {self.outcome.mark}", OUTCOME_STYLES.get(self.outcome, "")
            )
        if self.exercise:
            text.append("  │  ", "dim")
            text.append(self.exercise, "italic")
        self.update(text, layout=False)  # one line, same size: no relayout of the screen
