"""Draw CartPole from its state vector ``[x, x_dot, theta, theta_dot]`` with characters.

Gymnasium's CartPole has no text render, so the panel draws one: a track, the
cart at ``x`` (``[-2.4, 2.4]`` maps to the width) and the pole leaning by
``theta`` radians (0 is upright, positive leans right).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

X_LIMIT = 2.4
THETA_LIMIT = 12 * 2 * math.pi / 360  # CartPole ends an episode past 12 degrees
CART = "▐███▌"
CELL_ASPECT = 2.0  # a terminal cell is about twice as tall as it is wide


def _pole_char(theta: float) -> str:
    degrees = math.degrees(theta)
    if abs(degrees) < 15:
        return "│"
    if abs(degrees) > 70:
        return "─"
    return "╱" if degrees > 0 else "╲"


def _pole_cells(theta: float, length: int) -> list[tuple[int, int]]:
    """(rows up, columns right) of the pole's cells, from the pivot outwards."""
    theta = max(-math.pi / 2, min(math.pi / 2, theta))
    up, right = math.cos(theta), math.sin(theta) * CELL_ASPECT
    if up >= abs(right):  # steep: one cell per row
        rows = max(1, round(length * up))
        return [(r, round(r * right / up)) for r in range(1, rows + 1)]
    cols = max(1, round(length * abs(right)))
    sign = 1 if right > 0 else -1
    return [(max(1, round(c * up / abs(right))), sign * c) for c in range(1, cols + 1)]


def cart_column(x: float, width: int) -> int:
    """The column of the cart's centre for position ``x`` on a ``width``-wide track."""
    x = max(-X_LIMIT, min(X_LIMIT, x))
    return round((x + X_LIMIT) / (2 * X_LIMIT) * (width - 1))


def draw_cartpole(state: Sequence[float], width: int, height: int) -> list[str]:
    """The scene as ``height`` lines of ``width`` characters (at least 3 lines are needed)."""
    width, height = max(width, len(CART) + 2), max(height, 3)
    x = float(state[0]) if len(state) > 0 else 0.0
    theta = float(state[2]) if len(state) > 2 else 0.0
    if not math.isfinite(x):
        x = 0.0
    if not math.isfinite(theta):
        theta = 0.0
    grid = [[" "] * width for _ in range(height)]
    track_row, cart_row = height - 1, height - 2
    grid[track_row] = list("═" * width)
    for edge in (0, width - 1):
        grid[track_row][edge] = "╬"
    centre = cart_column(x, width)
    left = max(0, min(width - len(CART), centre - len(CART) // 2))
    for i, char in enumerate(CART):
        grid[cart_row][left + i] = char
    pivot_col = left + len(CART) // 2
    for row, col in _pole_cells(theta, min(height - 2, 8)):
        row, col = cart_row - row, pivot_col + col
        if 0 <= row < cart_row and 0 <= col < width:
            grid[row][col] = _pole_char(theta)
    return ["".join(row) for row in grid]


def describe_state(state: Sequence[float]) -> str:
    """One line: position and angle, flagged when past CartPole's limits."""
    x = float(state[0]) if len(state) > 0 else math.nan
    theta = float(state[2]) if len(state) > 2 else math.nan
    warn = ""
    if math.isfinite(x) and abs(x) > X_LIMIT:
        warn = "  (cart left the track)"
    elif math.isfinite(theta) and abs(theta) > THETA_LIMIT:
        warn = "  (pole fell past 12°)"
    return f"x = {x:+.2f}   θ = {math.degrees(theta):+.1f}°{warn}"
