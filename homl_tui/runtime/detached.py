"""Runs that outlive the app: start them detached, follow them, stop them, find lost ones.

A detached run is a supervisor process (:mod:`homl_tui.runtime.supervisor`) in its
own session that records everything into the store. Anyone can follow it from
the store with a :class:`Follower` (the app that started it, or the app started
again after a dropped SSH session), stop it (:func:`stop_run`, which the app and
``homl-tui runs stop ID`` use) and notice when it died without recording its end
(:func:`reap`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from homl_tui.runtime import procfs
from homl_tui.runtime.batch import Batch
from homl_tui.runtime.recording import batch_from_delta
from homl_tui.runtime.runner import child_environment
from homl_tui.runtime.spec import RunSpec
from homl_tui.store import Store
from homl_tui.store.runs import Cursor, RunInfo

SUPERVISOR_MODULE = "homl_tui.runtime.supervisor"
WORKER_MODULE = "homl_tui.runtime.worker"
STOP_WAIT_S = 5.0
LIVENESS_EVERY_S = 1.0


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def is_supervising(pid: int | None, run_id: int) -> bool:
    """True if ``pid`` is the live supervisor of run ``run_id`` (not a recycled pid)."""
    if not pid or not _process_exists(pid):
        return False
    args = procfs.cmdline(pid)
    if args is None:  # no /proc (macOS): trust the pid
        return True
    return SUPERVISOR_MODULE.encode() in args and str(run_id).encode() in args


def is_alive(info: RunInfo) -> bool:
    """Whether the process recording ``info`` is still there (for runs of this host)."""
    return is_supervising(info.pid, info.id)


def reap(store: Store) -> list[int]:
    """Mark runs whose supervisor died (``kill -9``, a reboot) as lost; their ids."""
    return store.runs.reap(is_alive)


def start_detached(store: Store, exercise: str, spec: RunSpec, *, kind: str = "learner",
                   code_hash: str = "", label: str = "", resumed_from: int | None = None,
                   log_dir: Path | None = None) -> tuple[int, subprocess.Popen[bytes]]:
    """Record a new run and start its supervisor; returns (run id, supervisor process).

    The caller may keep the process object to reap it when it ends; nothing breaks if the
    caller exits first (the supervisor is then adopted and reaped by the system).
    """
    runs = store.runs
    run_id = runs.create(exercise, spec.mode, spec=spec.to_json(), kind=kind, seed=spec.seed,
                         code_hash=code_hash, label=label, device=spec.device,
                         resumed_from=resumed_from)
    if spec.checkpoint_dir:  # each run its own checkpoint: resuming an old run resumes *it*
        spec.checkpoint_dir = str(Path(spec.checkpoint_dir) / f"run-{run_id}")
        runs.update(run_id, spec=spec.to_json())
    log = subprocess.DEVNULL
    handle = None
    if log_dir is not None:
        with contextlib.suppress(OSError):
            log_dir.mkdir(parents=True, exist_ok=True)
            handle = open(log_dir / f"{run_id}.log", "ab")  # noqa: SIM115 - closed below
            log = handle
    env = child_environment(spec.threads)
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", SUPERVISOR_MODULE, str(store.path), str(run_id)],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True, env=env, close_fds=True,
        )
    except OSError as exc:
        runs.finish(run_id, "error", "ERROR", f"Could not start Python: {exc}")
        raise
    finally:
        if handle is not None:
            handle.close()
    runs.update(run_id, pid=proc.pid)
    return run_id, proc


def request_stop(info: RunInfo) -> bool:
    """Ask a run's supervisor to stop it, without waiting; False if it is not there to ask."""
    if not info.local or not is_alive(info):
        return False
    try:
        os.kill(info.pid or 0, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def stop_run(store: Store, run_id: int, wait_s: float = STOP_WAIT_S) -> RunInfo | None:
    """Stop a run: ask its supervisor (SIGTERM: the run is cancelled and recorded), and if it
    does not answer within ``wait_s``, kill it and the worker. Returns the run as recorded."""
    runs = store.runs
    info = runs.get(run_id)
    if info is None or not info.active:
        return info
    if request_stop(info):
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            info = runs.get(run_id)
            if info is None or not info.active:
                return info
            time.sleep(0.05)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(info.pid or 0, signal.SIGKILL)
    if info.local and info.worker_pid:
        args = procfs.cmdline(info.worker_pid)
        if args is None or WORKER_MODULE.encode() in args:
            procfs.ProcessFamily(info.worker_pid).kill()
    runs.finish(run_id, "cancelled", "CANCELLED", "Stopped.")
    return runs.get(run_id)


def resume_run(store: Store, info: RunInfo, *, log_dir: Path | None = None
               ) -> tuple[int, subprocess.Popen[bytes]]:
    """Start run ``info`` again from its checkpoint; (new run id, its supervisor).

    Raises ``ValueError`` (with a message for people) when it cannot be resumed.
    """
    if info.active:
        raise ValueError(f"run #{info.id} is still going")
    if info.mode != "run" or not info.checkpoint:
        raise ValueError(f"run #{info.id} saved no checkpoint: start it again instead")
    if not Path(info.checkpoint).is_file():
        raise ValueError(f"run #{info.id}'s checkpoint is gone ({info.checkpoint})")
    spec = RunSpec.from_json(store.runs.spec(info.id))
    spec.resume_file = info.checkpoint
    if spec.checkpoint_dir:
        spec.checkpoint_dir = str(Path(spec.checkpoint_dir).parent)
    return start_detached(store, info.exercise, spec, kind=info.kind, code_hash=info.code_hash,
                          label=info.label, resumed_from=info.id, log_dir=log_dir)


def forget_run(store: Store, run_id: int) -> bool:
    """Delete a finished run, its recorded data and its checkpoint; False if still going."""
    info = store.runs.get(run_id)
    if info is None or not store.runs.delete(run_id):
        return False
    if info.checkpoint:
        folder = Path(info.checkpoint).parent
        if folder.name == f"run-{run_id}":
            shutil.rmtree(folder, ignore_errors=True)
    return True


class Follower:
    """Reads a run from the store as it is recorded: :meth:`poll` returns what is new.

    Works the same for a run started a moment ago and for one re-attached after the app
    restarted (the first poll then returns its whole history). If the supervisor dies
    without recording an end, the run is marked lost and an ``end`` is produced.
    """

    def __init__(self, store: Store, run_id: int, process: subprocess.Popen[bytes] | None = None
                 ) -> None:
        self.store = store
        self.run_id = run_id
        self.cursor = Cursor()
        self.info: RunInfo | None = None
        self.process = process
        self._next_liveness = time.monotonic() + LIVENESS_EVERY_S
        self.ended = False

    def poll(self) -> Batch:
        """What was recorded since the last poll; its ``end`` is set once, when the run ended."""
        if self.ended:
            return Batch()
        delta = self.store.runs.read(self.run_id, self.cursor)
        self.info = delta.info
        batch = batch_from_delta(delta)
        if self.process is not None and self.process.poll() is not None:
            self.process = None  # reaped
        info = self.info
        if info is None:
            batch.end = end_event(None)
        elif batch.end is None and info.active and time.monotonic() >= self._next_liveness:
            self._next_liveness = time.monotonic() + LIVENESS_EVERY_S
            if self.store.runs.reap(is_alive, [info]):  # this run only: it died unrecorded
                self.info = self.store.runs.get(self.run_id)
                batch.end = end_event(self.info)
        elif batch.end is None and not info.active:
            batch.end = end_event(info)  # ended without an end record (stopped from outside)
        self.ended = batch.end is not None
        return batch


def end_event(info: RunInfo | None) -> dict[str, object]:
    """An ``end`` event for a run that ended without writing one (lost, stopped, deleted)."""
    if info is None:
        return {"kind": "end", "status": "lost", "message": "This run was deleted.",
                "duration_s": 0.0, "outcome": None}
    return {"kind": "end", "status": info.status, "message": info.message,
            "duration_s": info.duration_s(), "outcome": info.outcome}
