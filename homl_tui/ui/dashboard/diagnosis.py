"""Plain-words diagnosis of live curves: values that became NaN or infinite, and a loss
that diverges. It names what it sees and asks what could cause it; it never gives the fix.

Divergence rule (loss-like series only, on a bias-corrected EMA with ``beta = 0.9``):
the smoothed loss must stay above its starting level (the highest smoothed value of
the first 10 points) by a margin, for a stretch of consecutive points (a tenth of the
points seen so far, between 3 and 20), and not before 20 points. The margin is the
larger of 10% of the loss's scale (its starting level, or how far it came down) and
four times its noise (a running mean of ``|raw - smoothed|``, each deviation clipped at
three times the current level, frozen during a rise). A noisy SGD curve with spikes,
a plateau, or a validation loss that creeps up while overfitting stays below that bar;
a loss that blows up, or climbs from the first step, crosses it
(tests/ui/test_dashboard_model.py tries both on synthetic curves)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from homl_tui.ui.dashboard.smoothing import Ema
from homl_tui.ui.render.downsample import Point

#: A series is loss-like when its name contains one of these.
LOSS_WORDS = ("loss", "error", "mse", "rmse", "mae", "nll")
BETA = 0.9
WARMUP = 10  # the starting level is the highest smoothed value of the first points
MIN_POINTS = 20
SCALE_MARGIN = 0.1
NOISE_MARGIN = 4.0
NOISE_BETA = 0.98
NOISE_CLIP = 3.0


def is_loss_like(name: str) -> bool:
    """True for names such as ``train_loss``, ``val_rmse`` or ``nll``."""
    lower = name.lower()
    return any(word in lower for word in LOSS_WORDS)


def value_word(value: float) -> str:
    """``NaN``, ``inf`` or ``-inf``."""
    if math.isnan(value):
        return "NaN"
    return "inf" if value > 0 else "-inf"


def non_finite_note(name: str, point: Point) -> str:
    """What to say when series ``name`` first became NaN or infinite at ``point``."""
    head = f"{name} became {value_word(point[1])} at step {int(point[0])}"
    if is_loss_like(name):
        return f"{head}: a learning rate too high, a log of 0 or a division by zero?"
    return f"{head}: NaN and infinite values are not drawn."


def sustain(count: int) -> int:
    """How many points in a row the rise must last after ``count`` points."""
    return min(20, max(3, count // 10))


@dataclass
class Divergence:
    """A loss that rose above where it started and stayed there."""

    since: float  # the step where the rise began
    best: float  # the lowest smoothed value before it
    best_step: float


class DivergenceWatch:
    """Watches one loss curve point by point; :attr:`found` is set once, the first time."""

    def __init__(self) -> None:
        self._ema = Ema(BETA)
        self._noise = Ema(NOISE_BETA)
        self.start: float | None = None
        self.best = math.inf
        self.best_step = 0.0
        self.latest: Point | None = None  # the last smoothed point
        self.found: Divergence | None = None
        self._rising = 0
        self._rise_step = 0.0
        self._noise_level = 0.0
        self._early = -math.inf

    def add(self, step: float, value: float) -> None:
        """Take the next raw point (non-finite values are ignored)."""
        smoothed = self._ema.add(value)
        if smoothed is None:
            return
        if not self._rising:  # a rise must not raise the bar it is measured against
            deviation = abs(value - smoothed)
            if self._noise.count >= WARMUP:  # clipped: one spike or a steep trend moves it little
                deviation = min(deviation, NOISE_CLIP * self._noise_level)
            self._noise_level = self._noise.add(deviation) or 0.0
        self.latest = (step, smoothed)
        count = self._ema.count
        if count <= WARMUP:
            self._early = max(self._early, smoothed)
            if count == WARMUP:
                self.start = self._early
        if smoothed < self.best:
            self.best, self.best_step = smoothed, step
        if self.start is None or self.found is not None:
            return
        scale = max(abs(self.start), self.start - self.best)
        margin = max(SCALE_MARGIN * scale, NOISE_MARGIN * self._noise_level)
        if smoothed > self.start + margin:
            if not self._rising:
                self._rise_step = step
            self._rising += 1
        else:
            self._rising = 0
        if count >= MIN_POINTS and self._rising >= sustain(count):
            self.found = Divergence(self._rise_step, self.best, self.best_step)

    def note(self, name: str) -> str | None:
        """The sentence to show once the loss diverged, else None."""
        if self.found is None or self.latest is None:
            return None
        return (
            f"{name} is climbing since step {int(self.found.since)} "
            f"(best {self.found.best:.3g}, now {self.latest[1]:.3g}): "
            "a learning rate too high, or exploding gradients?"
        )
