"""One run of an exercise as the UI sees it: start or re-attach, poll coalesced batches, cancel.

No Textual here. The lesson screen calls :meth:`RunSession.poll` from a timer
(~10 Hz); each call returns one :class:`~homl_tui.runtime.batch.Batch` of what
arrived since the last call.

With a store, a run is *detached* (:mod:`homl_tui.runtime.detached`): a supervisor
process in its own session records it into the store and the session follows the
store, so the run survives the app quitting or the terminal hanging up, and a
later app can re-attach to it (:meth:`RunSession.attach`). Without a usable store
(a read-only or full data folder), the run is a child of the app, is not recorded,
and ends with it; the learner is told once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from homl_tui.course import Exercise
from homl_tui.grading import code_hash, spec_for
from homl_tui.runtime.batch import Batch, coalesce
from homl_tui.runtime.detached import Follower, start_detached, stop_run
from homl_tui.runtime.runner import Run
from homl_tui.store import Store
from homl_tui.store.runs import RunInfo

DRAIN_LIMIT = 20_000  # events per tick for an in-process run; the rest waits for the next tick


class RunSession:
    """A run or check of one exercise file, followed live."""

    def __init__(
        self,
        exercise: Exercise,
        target: Path,
        mode: str,
        *,
        store: Store | None,
        data_dir: Path | None = None,
        device: str = "auto",
        on_store_error: Callable[[str], None] | None = None,
        log_dir: Path | None = None,
        checkpoint_dir: Path | None = None,
    ) -> None:
        self.exercise = exercise
        self.target = target
        self.mode = mode
        self.store = store
        self.device: tuple[str, str] | None = None
        self.check: dict[str, object] | None = None
        self.end: dict[str, object] | None = None
        self.run_id: int | None = None
        self._data_dir = data_dir
        self._device = device
        self._checkpoint_dir = checkpoint_dir
        self._log_dir = log_dir
        self._on_store_error = on_store_error
        self._follower: Follower | None = None
        self._local: Run | None = None
        self._started = 0.0
        self._ended: float | None = None

    @classmethod
    def attach(cls, store: Store, info: RunInfo, exercise: Exercise) -> RunSession:
        """Follow a learner's run that is already recorded (started by an earlier app, say).

        It is only followed, never started again: ``target`` (which only :meth:`start`
        uses) is the exercise's starter file.
        """
        session = cls(exercise, exercise.starter, info.mode, store=store)
        session.run_id = info.id
        session._follower = Follower(store, info.id)
        session._started = time.monotonic() - info.duration_s()
        return session

    # ---------------------------------------------------------------- control
    def start(self) -> RunSession:
        """Start the run: detached when the store takes it, else as a child of the app."""
        spec = spec_for(self.exercise, self.target, self.mode, data_dir=self._data_dir,
                        device=self._device, checkpoint_dir=self._checkpoint_dir)
        self._started = time.monotonic()
        if self.store is not None:
            try:
                run_id, process = start_detached(
                    self.store, self.exercise.key, spec,
                    code_hash=code_hash(self.target), log_dir=self._log_dir)
            except Exception as exc:  # noqa: BLE001 - a full or read-only disk: run anyway
                if self._on_store_error:
                    self._on_store_error(
                        f"This run is not recorded and stops when you quit ({exc}).")
            else:
                self.run_id = run_id
                self._follower = Follower(self.store, run_id, process)
                return self
        self._local = Run(spec).start()
        return self

    def cancel(self) -> None:
        """Stop the run (recorded as cancelled)."""
        if self._local is not None:
            self._local.cancel()
        elif self.store is not None and self.run_id is not None:
            store, run_id = self.store, self.run_id
            threading.Thread(target=stop_run, args=(store, run_id), daemon=True).start()

    @property
    def detached(self) -> bool:
        """True when the run lives on its own (recorded, survives the app)."""
        return self._follower is not None

    @property
    def finished(self) -> bool:
        """True once the ``end`` has been polled."""
        return self._ended is not None

    @property
    def elapsed_s(self) -> float:
        return (self._ended or time.monotonic()) - self._started

    @property
    def info(self) -> RunInfo | None:
        return self._follower.info if self._follower else None

    # ------------------------------------------------------------------- poll
    def poll(self) -> Batch:
        """What arrived since the last poll, coalesced."""
        if self._ended is not None:
            return Batch()
        if self._follower is not None:
            try:
                batch = self._follower.poll()
            except Exception as exc:  # noqa: BLE001 - a locked or damaged store: say it, go on
                if self._on_store_error:
                    self._on_store_error(f"Cannot read this run's progress: {exc}")
                    self._on_store_error = None
                return Batch()
        else:
            assert self._local is not None
            batch = coalesce(self._local.drain(DRAIN_LIMIT))
            if batch.progress is not None:
                batch.progress = {**batch.progress, "t": time.time()}
        if batch.device:
            self.device = batch.device
        if batch.check is not None:
            self.check = batch.check
        if batch.end is not None:
            self.end = batch.end
            self._ended = time.monotonic()
        return batch
