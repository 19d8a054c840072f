"""Exceptions a check raises to report an outcome."""

from __future__ import annotations

from typing import NoReturn


class CheckFailed(AssertionError):
    """The learner's code runs but is not right yet. ``message`` is for the learner."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAttempted(Exception):
    """The learner has not started (placeholder left in place)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def fail(message: str) -> NoReturn:
    """Stop the check with a FAIL and this message."""
    raise CheckFailed(message)
