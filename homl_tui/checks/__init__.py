"""The check API that exercise checks are written against.

A check module (``check.py`` next to an exercise) defines ``check(learner, ctx)``.
``learner`` is the learner's file loaded as a module; ``ctx`` is a
:class:`~homl_tui.checks.context.CheckContext` (reference solution, seeds,
reporting). The check calls the helpers below; the first one that finds a
problem raises :class:`CheckFailed` with a message for the learner. Messages say
what is wrong (which value, which shape, how far off) and never print the
expected answer.
"""

from homl_tui.checks.errors import CheckFailed, NotAttempted, fail
from homl_tui.checks.functions import (
    compare_with_reference,
    describe,
    require_class,
    require_function,
)
from homl_tui.checks.models import expect_at_least, expect_at_most, expect_decreasing
from homl_tui.checks.values import (
    as_array,
    as_number,
    expect_close,
    expect_dtype,
    expect_equal,
    expect_finite,
    expect_shape,
    expect_true,
    expect_type,
)

__all__ = [
    "CheckFailed",
    "NotAttempted",
    "as_array",
    "as_number",
    "compare_with_reference",
    "describe",
    "expect_at_least",
    "expect_at_most",
    "expect_close",
    "expect_decreasing",
    "expect_dtype",
    "expect_equal",
    "expect_finite",
    "expect_shape",
    "expect_true",
    "expect_type",
    "fail",
    "require_class",
    "require_function",
]
