"""What the dashboard header says about the run: state, progress with rate and ETA,
throughput, device, memory and the last lines of output. Plain data; times are passed in
(``now``, seconds on any monotonic clock) so that rates and ETAs are testable."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

LOG_LINES = 200
RATE_WINDOW_S = 10.0  # the rate is measured over the progress updates of the last 10 s
#: Metric names taken as the run's own samples/s figure.
THROUGHPUT_NAMES = frozenset({"samples_per_s", "samples_per_sec", "samples/s", "throughput"})


@dataclass
class Progress:
    """How far the run is: ``done`` of ``total`` (``total <= 0``: unknown) ``unit``."""

    done: float
    total: float
    unit: str = ""
    note: str = ""

    @property
    def fraction(self) -> float | None:
        return min(1.0, max(0.0, self.done / self.total)) if self.total > 0 else None


@dataclass
class RunStatus:
    """The header's data for the run on screen."""

    state: str = "idle"  # running, checking, finished, cancelled, lost, ...
    started_at: float | None = None
    ended: tuple[str, float] | None = None  # (status, duration in seconds)
    progress: Progress | None = None
    samples_per_s: float | None = None
    device: str = ""
    rss_mb: float | None = None
    gpu_mb: float | None = None
    logs: deque[tuple[str, str]] = field(default_factory=lambda: deque(maxlen=LOG_LINES))
    _partial: tuple[str, str] | None = field(default=None, init=False, repr=False)
    _updates: deque[tuple[float, float]] = field(  # (time, done) of recent progress reports
        default_factory=deque, init=False, repr=False
    )

    # ---------------------------------------------------------------- state
    def finish(self, status: str, duration_s: float | None = None) -> None:
        """The run ended with ``status`` (ok, failed, error, timeout, cancelled...)."""
        self.state = "finished"
        self.ended = (status, duration_s if duration_s is not None else math.nan)

    @property
    def running(self) -> bool:
        return self.started_at is not None and self.ended is None and self.state != "lost"

    def state_text(self, now: float) -> str:
        """``running 12s``, ``finished ok 3.2s``, ``cancelled 1.0s``, ``lost``..."""
        if self.ended is not None:
            status, seconds = self.ended
            head = status if status == "cancelled" else f"finished {status}"
            return f"{head} {seconds:.1f}s" if math.isfinite(seconds) else head
        if self.running and self.started_at is not None:
            return f"{self.state} {int(now - self.started_at)}s"
        return self.state

    # ------------------------------------------------------------- progress
    def update_progress(
        self, done: float, total: float, now: float, unit: str = "", note: str = ""
    ) -> None:
        """A progress report; the rate is measured from these over time."""
        if self._updates and done < self._updates[-1][1]:
            self._updates.clear()  # a new phase started from zero
        self._updates.append((now, done))
        while len(self._updates) > 2 and now - self._updates[1][0] >= RATE_WINDOW_S:
            self._updates.popleft()
        self.progress = Progress(done, total, unit, note)

    @property
    def rate(self) -> float | None:
        """Units per second over the recent progress updates, None until it can be told."""
        if len(self._updates) < 2:
            return None
        (t0, d0), (t1, d1) = self._updates[0], self._updates[-1]
        return (d1 - d0) / (t1 - t0) if t1 > t0 else None

    def eta_s(self, now: float) -> float | None:
        """Seconds left at the current rate (counting down between updates), if known."""
        progress, rate = self.progress, self.rate
        if progress is None or progress.total <= 0 or not rate or rate <= 0:
            return None
        left = (progress.total - progress.done) / rate - (now - self._updates[-1][0])
        return max(0.0, left)

    # ------------------------------------------------------------------ logs
    def add_output(self, stream: str, text: str) -> None:
        """Append a chunk of stdout/stderr text; lines may arrive in pieces."""
        if self._partial is not None and self._partial[0] == stream:
            text = self._partial[1] + text
        elif self._partial is not None:
            self.logs.append(self._partial)
        self._partial = None
        *lines, rest = text.split("\n")
        self.logs.extend((stream, line.rstrip("\r")) for line in lines)
        if rest:
            self._partial = (stream, rest)

    def last_lines(self, count: int) -> list[tuple[str, str]]:
        """The last ``count`` (stream, line) pairs, an unfinished last line included."""
        if count <= 0:
            return []
        lines = list(self.logs) + ([self._partial] if self._partial is not None else [])
        return lines[-count:]
