"""Shrink long metric series to about one point per plot column.

Each bucket of consecutive points keeps its lowest and its highest value (in
step order) so spikes survive, and the very last point is always kept so the
curve ends where the run is now.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

Point = tuple[float, float]


def as_float(value: Any) -> float:
    """``value`` as a float, NaN when it is not a number (event data is never trusted)."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def as_floats(values: Any) -> list[float]:
    """A list of :func:`as_float`; anything that is not a list gives ``[]``."""
    return [as_float(v) for v in values] if isinstance(values, list) else []


def downsample(points: Sequence[Point], buckets: int) -> list[Point]:
    """At most about ``2 * buckets + 1`` points of ``points`` (min and max per bucket, and the last)."""
    n = len(points)
    if buckets < 1 or n <= 2 * buckets:
        return list(points)
    out: list[Point] = []
    size = n / buckets
    for b in range(buckets):
        start, stop = int(b * size), int((b + 1) * size)
        chunk = points[start:stop]
        finite = [p for p in chunk if math.isfinite(p[1])]
        if not finite:
            continue
        low = min(finite, key=lambda p: p[1])
        high = max(finite, key=lambda p: p[1])
        out.extend(sorted({low, high}, key=lambda p: p[0]))
    last = points[-1]
    if not out or out[-1] != last:
        out.append(last)
    return out


class Decimator:
    """:func:`downsample` for a list that only grows, kept up to date as it grows.

    The points are cut into chunks whose size is a power of two, chosen so that there are
    fewer chunks than ``buckets``; each chunk's lowest and highest point are worked out once,
    when the chunk is complete, and only the unfinished chunk at the end is looked at again.
    A redraw of a long run thus costs about ``buckets`` operations, not one per point.
    The points must be finite (smoothed, or filtered with :func:`finite_points`).
    """

    def __init__(self) -> None:
        self._chunk = 0
        self._done = 0
        self._summary: list[Point] = []

    def view(self, points: Sequence[Point], buckets: int) -> list[Point]:
        """At most ``2 * buckets + 1`` points: min and max per chunk, and the last point."""
        n = len(points)
        if buckets < 2 or n <= 2 * buckets:
            return list(points)
        chunk = 1
        while n / chunk > buckets - 1:
            chunk *= 2
        if chunk != self._chunk or self._done > n:  # wider chunks now (or a new list)
            self._chunk, self._done, self._summary = chunk, 0, []
        complete = n - n % chunk
        for start in range(self._done, complete, chunk):
            self._summary.extend(_low_high(points[start : start + chunk]))
        self._done = complete
        out = self._summary + _low_high(points[complete:])
        if out[-1] != points[-1]:
            out.append(points[-1])
        return out


def _low_high(chunk: Sequence[Point]) -> list[Point]:
    """The lowest and the highest point of ``chunk``, in step order (one if they coincide)."""
    if not chunk:
        return []
    low = min(chunk, key=lambda p: p[1])
    high = max(chunk, key=lambda p: p[1])
    if low is high:
        return [low]
    return [low, high] if low[0] <= high[0] else [high, low]


def finite_points(points: Sequence[Point]) -> list[Point]:
    """Only the points whose x and y are finite numbers (NaN and infinities cannot be drawn)."""
    return [p for p in points if math.isfinite(p[0]) and math.isfinite(p[1])]
