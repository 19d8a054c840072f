"""The result of the last check: outcome (coloured), message and details."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from homl_tui.outcome import Outcome
from homl_tui.ui.widgets.status_line import OUTCOME_STYLES

#: Lines of details shown: the end of a traceback (where it failed, and why) matters most.
DETAIL_LINES = 7


def tail(details: str, lines: int = DETAIL_LINES) -> str:
    """The last ``lines`` lines of ``details``, saying how many were left out above."""
    kept = details.rstrip().splitlines()
    if len(kept) <= lines:
        return "\n".join(kept)
    return "\n".join([f"… {len(kept) - lines + 1} lines above", *kept[-(lines - 1):]])


class CheckResult(Static):
    """Empty until a check ends; then ``PASS ✔ passed`` and the check's message."""

    DEFAULT_CSS = """
    CheckResult { height: auto; max-height: 12; padding: 0 1; display: none; }
    CheckResult.-shown { display: block; }
    CheckResult.-pass { border-left: thick $success; }
    CheckResult.-fail { border-left: thick $error; }
    CheckResult.-other { border-left: thick $warning; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.outcome: Outcome | None = None
        self.message = ""

    def show_result(self, outcome: Outcome, message: str, details: str = "") -> None:
        self.outcome, self.message = outcome, message
        text = Text.assemble(
            (f"{outcome.value} {outcome.mark}", OUTCOME_STYLES.get(outcome, "")),
            (f"  {outcome.label}", "italic"),
            "\n",
            message,
        )
        if details.strip():
            text.append("\n" + tail(details), "dim")
        self.update(text)
        self.set_class(True, "-shown")
        self.set_class(outcome is Outcome.PASS, "-pass")
        self.set_class(outcome in (Outcome.FAIL, Outcome.ERROR), "-fail")
        self.set_class(outcome not in (Outcome.PASS, Outcome.FAIL, Outcome.ERROR), "-other")

    def show_message(self, message: str, *, error: bool = False) -> None:
        """A plain line (e.g. how a run ended), without an outcome."""
        self.outcome, self.message = None, message
        self.update(Text(message, style="bold red" if error else ""))
        self.set_class(True, "-shown")
        self.set_class(False, "-pass")
        self.set_class(error, "-fail")
        self.set_class(not error, "-other")

    def clear_result(self) -> None:
        self.outcome, self.message = None, ""
        self.update("")
        self.set_class(False, "-shown")
