"""Checks on trained models and training curves: thresholds on held-out quality.

Values are read as plain numbers (:func:`~homl_tui.checks.values.as_number`): a ``float``
subclass cannot claim a better score than the one it holds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from homl_tui.checks.errors import fail
from homl_tui.checks.values import as_array, as_number, is_tensor


def expect_at_least(
    name: str, value: float, threshold: float, advice: str = "", *, fmt: str = ".4g"
) -> None:
    """FAIL unless ``value >= threshold``, e.g. accuracy on held-out data.

    ``fmt`` formats both numbers in the message (``",.0f"`` for dollars, ``".1%"`` for rates).
    """
    value = as_number(value)
    if math.isnan(value):
        fail(f"{name} is NaN. " + (advice or "Training diverged: try a smaller learning rate."))
    if value < threshold:
        fail(f"{name} is {value:{fmt}}; it needs to be at least {threshold:{fmt}}."
             + (f" {advice}" if advice else ""))


def expect_at_most(
    name: str, value: float, threshold: float, advice: str = "", *, fmt: str = ".4g"
) -> None:
    """FAIL unless ``value <= threshold``, e.g. a loss or an error."""
    value = as_number(value)
    if math.isnan(value):
        fail(f"{name} is NaN. " + (advice or "Training diverged: try a smaller learning rate."))
    if value > threshold:
        fail(f"{name} is {value:{fmt}}; it needs to be at most {threshold:{fmt}}."
             + (f" {advice}" if advice else ""))


def expect_decreasing(name: str, losses: Sequence[float], *, window: int = 5) -> None:
    """FAIL if a loss curve is empty, NaN, blows up or does not go down.

    Compares the mean of the first ``window`` values with the last ``window``.
    The messages name the likely cause (learning rate too high, no update).
    """
    if is_tensor(losses) or isinstance(losses, np.ndarray):
        values = [float(v) for v in as_array(losses).astype(np.float64).reshape(-1)]
    else:
        values = [as_number(v) for v in losses]
    if not values:
        fail(f"`{name}` is empty: record the loss at every step.")
    first_bad = next((i for i, v in enumerate(values) if not math.isfinite(v)), None)
    if first_bad is not None:
        fail(f"`{name}` became NaN or infinite at step {first_bad}: the loss diverged. "
             "This is the classic sign of a learning rate that is too high.")
    w = max(1, min(window, len(values) // 2 or 1))
    start = sum(values[:w]) / w
    end = sum(values[-w:]) / w
    if end > start * 10 and end > 1.0:
        fail(f"`{name}` grew from about {start:.3g} to {end:.3g}: the loss diverged. "
             "A learning rate that is too high makes each step overshoot.")
    if not end < start:
        fail(f"`{name}` did not go down (about {start:.3g} at the start, {end:.3g} at the end). "
             "Are the parameters updated at every step, and the gradients zeroed?")
