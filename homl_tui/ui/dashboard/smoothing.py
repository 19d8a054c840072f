"""Exponential moving average with bias correction, the way TensorBoard and wandb smooth curves.

``ema_t = beta * ema_{t-1} + (1 - beta) * x_t`` from ``ema_0 = 0``, shown as
``ema_t / (1 - beta ** t)`` so the first points are not pulled towards zero.
``t`` counts finite values only: NaN and infinities are skipped, never averaged in.
Smoothing always runs on the full series; downsampling for the screen comes after.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from homl_tui.ui.render.downsample import Point

#: The levels the ``s`` key cycles through (0 = raw curves).
SMOOTHING_LEVELS: tuple[float, ...] = (0.0, 0.6, 0.8, 0.9, 0.95, 0.99)


class Ema:
    """A bias-corrected exponential moving average fed one value at a time."""

    def __init__(self, beta: float) -> None:
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"smoothing must be in [0, 1), not {beta}")
        self.beta = beta
        self.count = 0
        self._ema = 0.0
        self._decay = 1.0  # beta ** count

    def add(self, value: float) -> float | None:
        """The smoothed value after ``value``; None (and no change) when it is not finite."""
        if not math.isfinite(value):
            return None
        self.count += 1
        self._ema = self.beta * self._ema + (1.0 - self.beta) * value
        self._decay *= self.beta
        return self._ema / (1.0 - self._decay)


class SmoothedSeries:
    """The smoothed points of a growing series, extended with only what was appended."""

    def __init__(self, beta: float) -> None:
        self._ema = Ema(beta) if beta > 0 else None  # 0: the finite points as they are
        self._consumed = 0
        self.points: list[Point] = []

    def update(self, raw: Sequence[Point]) -> list[Point]:
        """Smooth the points of ``raw`` not seen yet; the smoothed series (finite points only)."""
        for step, value in raw[self._consumed :]:
            if self._ema is None:
                if math.isfinite(step) and math.isfinite(value):
                    self.points.append((step, value))
                continue
            smoothed = self._ema.add(value)
            if smoothed is not None:
                self.points.append((step, smoothed))
        self._consumed = len(raw)
        return self.points


def smooth(points: Sequence[Point], beta: float) -> list[Point]:
    """``points`` smoothed with a bias-corrected EMA (non-finite values dropped)."""
    return SmoothedSeries(beta).update(points)
