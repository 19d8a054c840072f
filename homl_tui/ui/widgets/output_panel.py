"""The Output tab: check result, hints, then the learner's stdout/stderr (capped lines)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Log

from homl_tui.ui.widgets.check_result import CheckResult
from homl_tui.ui.widgets.hint_panel import HintPanel

MAX_LINES = 2000


class OutputPanel(Vertical):
    """Check result and hints on top, the run's output log below."""

    DEFAULT_CSS = """
    OutputPanel { height: 1fr; }
    OutputPanel > Log { height: 1fr; border-top: solid $primary-darken-2; }
    """

    def compose(self) -> ComposeResult:
        yield CheckResult(id="check-result")
        yield HintPanel(id="hints")
        yield Log(max_lines=MAX_LINES, highlight=False, id="output-log")

    @property
    def result(self) -> CheckResult:
        return self.query_one(CheckResult)

    @property
    def hints(self) -> HintPanel:
        return self.query_one(HintPanel)

    @property
    def log_widget(self) -> Log:
        return self.query_one(Log)

    def write_output(self, chunks: list[tuple[str, str]]) -> None:
        """Append coalesced output; stderr is kept as is (the log has no colours)."""
        text = "".join(chunk for _, chunk in chunks)
        if text:
            self.log_widget.write(text)

    def clear_output(self) -> None:
        self.log_widget.clear()
