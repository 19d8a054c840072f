"""The outcome of checking an exercise. Shared by the core and the UI (no heavy imports)."""

from __future__ import annotations

from enum import Enum


class Outcome(str, Enum):
    """What a check concluded about the learner's code."""

    PASS = "PASS"
    FAIL = "FAIL"
    NOT_ATTEMPTED = "NOT_ATTEMPTED"
    ERROR = "ERROR"
    TIMEOUT = "TIMEOUT"
    CANCELLED = "CANCELLED"

    @classmethod
    def parse(cls, value: object) -> Outcome:
        """The outcome named by ``value`` (from an event or the store); unknown -> ERROR."""
        try:
            return cls(str(value))
        except ValueError:
            return cls.ERROR

    @property
    def label(self) -> str:
        return {
            Outcome.PASS: "passed",
            Outcome.FAIL: "not yet right",
            Outcome.NOT_ATTEMPTED: "not attempted",
            Outcome.ERROR: "your code raised an error",
            Outcome.TIMEOUT: "timed out",
            Outcome.CANCELLED: "cancelled",
        }[self]

    @property
    def mark(self) -> str:
        return {
            Outcome.PASS: "✔",
            Outcome.FAIL: "✘",
            Outcome.NOT_ATTEMPTED: "·",
            Outcome.ERROR: "!",
            Outcome.TIMEOUT: "⧗",
            Outcome.CANCELLED: "-",
        }[self]
