"""The reference ("ghost") curve of an exercise: the reference solution's own run.

No Textual here. The newest recorded run of the exercise's reference solution is
reused when the solution file has not changed since (same code hash); otherwise the
solution is run now, detached, and its curve grows live next to the learner's.
"""

from __future__ import annotations

from pathlib import Path

from homl_tui.course import Exercise
from homl_tui.grading import code_hash, spec_for
from homl_tui.runtime.detached import Follower, start_detached
from homl_tui.store import Store
from homl_tui.ui.context import AppContext


def start_ghost(context: AppContext, exercise: Exercise | None) -> tuple[Ghost | None, str]:
    """The reference run of ``exercise`` for a screen's dashboard: (ghost, what to tell the
    learner), or (None, why not)."""
    if context.store is None or exercise is None:
        return None, "The reference curve needs the progress store and an exercise."
    ghost = Ghost(context.store, exercise, data_dir=context.data_dir, device=context.device,
                  log_dir=context.runs_dir)
    try:
        return ghost, ghost.start()
    except Exception as exc:  # noqa: BLE001 - said, not raised
        return None, f"Could not get the reference curve: {exc}"


class Ghost:
    """Follows the reference run of one exercise; :meth:`poll` gives its new metric rows."""

    def __init__(self, store: Store, exercise: Exercise, *, data_dir: Path | None = None,
                 device: str = "auto", log_dir: Path | None = None) -> None:
        self.store = store
        self.exercise = exercise
        self.data_dir = data_dir
        self.device = device
        self.log_dir = log_dir
        self.run_id: int | None = None
        self.finished = False
        self._follower: Follower | None = None

    def start(self) -> str:
        """Find or start the reference run; returns what to tell the learner."""
        digest = code_hash(self.exercise.solution)
        info = self.store.runs.latest_reference(self.exercise.key, digest)
        if info is not None:
            self.run_id = info.id
            self._follower = Follower(self.store, info.id)
            return f"Reference curve from run #{info.id}."
        spec = spec_for(self.exercise, self.exercise.solution, "run", data_dir=self.data_dir,
                        device=self.device)
        self.run_id, process = start_detached(self.store, self.exercise.key, spec,
                                              kind="reference", code_hash=digest,
                                              log_dir=self.log_dir)
        self._follower = Follower(self.store, self.run_id, process)
        return f"Running the reference solution for its curve (run #{self.run_id})…"

    @property
    def label(self) -> str:
        return f"reference #{self.run_id}" if self.run_id else "reference"

    def poll(self) -> list[tuple[int, str, float]]:
        """Metric rows recorded since the last poll (its whole history the first time).

        The store's errors are raised; :meth:`Dashboard.poll_reference
        <homl_tui.ui.widgets.dashboard.Dashboard.poll_reference>` skips them.
        """
        if self._follower is None or self.finished:
            return []
        batch = self._follower.poll()
        if batch.end is not None:
            self.finished = True
        return batch.metrics
