"""Start, watch and stop runs. Parent side of the run protocol; imports no UI and no ML library.

A :class:`Run` is one child process (see :mod:`homl_tui.runtime.worker`) with:

* ``stdin`` closed, its own session (a terminal hang-up does not reach it),
  BLAS/OpenMP/torch threads capped so the UI keeps a core;
* the folder of the file it runs as its working folder (for a learner, their workspace), so
  relative paths land there; absolute paths are not blocked;
* a wall-clock timeout, a resident-memory watchdog and an output cap;
* events read from a dedicated pipe, learner stdout/stderr read separately,
  all delivered through one thread-safe queue in arrival order.

Consumers either block (:meth:`Run.iter_events`, :meth:`Run.wait`) or poll
(:meth:`Run.drain`, e.g. from a UI timer). Every run ends with exactly one
``end`` event; check runs also get exactly one ``check`` event, synthesised by
the runner when the child could not send it (timeout, crash, memory, cancel).

What the code under check can do is contained, not forbidden (this is not a security
boundary):

* a verdict counts only if it carries the token the worker announced in its ``start``
  event, before any learner code ran; anything else claiming to be one is dropped;
* every process the run started is killed when it ends or is stopped, also those that
  left its session (``setsid``, daemons): the runner follows the run's process tree;
* the lesson's own files (check, solution, starter, mutants, manifest, text) are read before
  a run of learner code and compared after it; a run that changed them gets an ERROR and the
  files are put back (the changed copies are kept in the temporary folder).
"""

from __future__ import annotations

import codecs
import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from homl_tui.outcome import Outcome
from homl_tui.runtime import procfs
from homl_tui.runtime.events import (
    ENV_FD,
    ENV_PATH,
    EVENTS_LOST_STATUS,
    MAX_LINE,
    PARENT_PID_VAR,
    WORKER_KINDS,
    Event,
    parse_line,
)
from homl_tui.runtime.spec import RunSpec

THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
               "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")
GRACE_S = 1.0
POLL_S = 0.05  # how often the watchdog looks at the time and at the memory of known processes
MEMORY_POLL_S = 0.25  # how often it looks for new processes of the run
PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])
GUARDED_SUFFIXES = (".py", ".toml", ".md")
GUARD_MAX_FILES = 200
GUARD_MAX_BYTES = 1 << 20


def changed_files_dir() -> Path:
    """Where the copies of lesson files a run changed are kept (the temporary folder)."""
    import tempfile  # finding the temporary folder writes a probe file: only when needed

    return Path(tempfile.gettempdir()) / "homl-tui-changed"


def default_threads() -> int:
    """Threads a run may use: every core but one (at least one)."""
    return max(1, (os.cpu_count() or 2) - 1)


def child_environment(threads: int) -> dict[str, str]:
    """The environment of a process that runs exercise code: threads capped, the package
    importable, UTF-8 output, faulthandler on, and no event pipe inherited from elsewhere."""
    env = dict(os.environ)
    for var in THREAD_VARS:
        env[var] = str(max(1, threads))
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONFAULTHANDLER"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (PACKAGE_ROOT, env.get("PYTHONPATH", "")) if p)
    for var in (ENV_FD, ENV_PATH):
        env.pop(var, None)
    return env


class LessonGuard:
    """The lesson's own files as they were before a run of learner code.

    :meth:`restore` puts back any the run changed or deleted, and keeps the changed copy in
    the temporary folder. A run of the lesson's own code (its solution or a mutant) is not
    guarded.
    """

    def __init__(self, root: Path | None = None, files: dict[Path, bytes] | None = None) -> None:
        self.root = root
        self.files = files or {}

    @classmethod
    def take(cls, spec: RunSpec) -> LessonGuard:
        if not spec.exercise_dir:
            return cls()
        exercise = Path(spec.exercise_dir).resolve()
        lesson = exercise.parent.parent if exercise.parent.name == "exercises" else exercise
        if Path(spec.target).resolve().is_relative_to(lesson):
            return cls()
        paths = [lesson / "lesson.toml", lesson / "lesson.md"]
        with contextlib.suppress(OSError):
            paths += sorted(p for p in exercise.rglob("*") if p.suffix in GUARDED_SUFFIXES)
        files = {}
        for path in paths[:GUARD_MAX_FILES]:
            with contextlib.suppress(OSError):
                if path.is_file() and path.stat().st_size <= GUARD_MAX_BYTES:
                    files[path] = path.read_bytes()
        return cls(lesson, files)

    def restore(self) -> list[str]:
        """Put back the files that changed; return their paths within the lesson."""
        changed = []
        for path, original in self.files.items():
            try:
                now: bytes | None = path.read_bytes()
            except OSError:
                now = None
            if now == original:
                continue
            changed.append(str(path.relative_to(self.root)) if self.root else path.name)
            with contextlib.suppress(OSError):
                if now is not None:
                    keep = changed_files_dir()
                    keep.mkdir(exist_ok=True)
                    (keep / f"{time.strftime('%Y%m%d-%H%M%S')}-{path.name}").write_bytes(now)
                temporary = path.with_name(f".{path.name}.homl-restore")
                temporary.write_bytes(original)
                os.replace(temporary, path)
        return changed


def _changed_message(names: list[str]) -> str:
    listed = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return (f"Your code changed this lesson's own files ({listed}) while it ran, so its result "
            f"cannot be trusted. homl-tui put them back (the changed copies are in "
            f"{changed_files_dir()}). Write only to your own files.")


def _size(n: int) -> str:
    """``n`` bytes in words: 512 bytes, 3.2 MB, 1.1 GB."""
    if n < 1024:
        return f"{n} bytes"
    value, unit = n / 1024, "KB"
    for bigger in ("MB", "GB"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    return f"{value:.1f} {unit}"


@dataclass
class RunResult:
    """How a run ended."""

    status: str  # ok, failed, error, timeout, memory, cancelled, crashed
    outcome: Outcome | None  # for check runs
    message: str
    details: str = ""
    duration_s: float = 0.0
    returncode: int | None = None
    output_dropped: int = 0
    last_metrics: dict[str, float] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.outcome is Outcome.PASS


def _signal_name(returncode: int) -> str:
    try:
        return signal.Signals(-returncode).name
    except ValueError:
        return f"signal {-returncode}"


class Run:
    """One child process running learner code. Create, :meth:`start`, then consume events."""

    def __init__(self, spec: RunSpec, *, python: str | None = None) -> None:
        self.spec = spec
        self.python = python or sys.executable
        self.result: RunResult | None = None
        self.device: str | None = None
        self._queue: queue.SimpleQueue[Event] = queue.SimpleQueue()
        self._proc: subprocess.Popen[bytes] | None = None
        self._readers: list[threading.Thread] = []
        self._stop_reason: str | None = None
        self._stop_lock = threading.Lock()
        self._done = threading.Event()
        self._got_check: Event | None = None
        self._got_end: Event | None = None
        self._token: str | None = None  # announced by the worker's start event
        self._family: procfs.ProcessFamily | None = None
        self._guard = LessonGuard()
        self._output_used = 0
        self._output_dropped = 0
        self._output_lock = threading.Lock()
        self._last_metrics: dict[str, float] = {}
        self._started = 0.0
        self._peak_rss = 0
        self._cpu_at_stop: float | None = None
        self.rss = 0  # resident bytes of the run's processes, sampled by the watchdog

    # ------------------------------------------------------------------ start
    def _environment(self) -> dict[str, str]:
        env = child_environment(self.spec.threads)
        env.update(self.spec.env)
        return env

    def start(self) -> Run:
        read_fd, write_fd = os.pipe()
        env = self._environment()
        env[ENV_FD] = str(write_fd)
        env[PARENT_PID_VAR] = str(os.getpid())  # the worker ends if this process goes away
        cwd = self.spec.cwd or str(Path(self.spec.target).resolve().parent)
        self._guard = LessonGuard.take(self.spec)
        self._started = time.monotonic()
        try:
            self._proc = subprocess.Popen(
                [self.python, "-m", "homl_tui.runtime.worker", self.spec.to_json()],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                pass_fds=(write_fd,),
                start_new_session=True,
                env=env,
                cwd=cwd,
            )
        except OSError as exc:
            os.close(read_fd)
            os.close(write_fd)
            self._finish_without_process(f"Could not start Python: {exc}")
            return self
        os.close(write_fd)
        self._family = procfs.ProcessFamily(self._proc.pid)
        self._readers = [
            threading.Thread(target=self._read_events, args=(read_fd,), daemon=True),
            threading.Thread(target=self._read_output, args=(self._proc.stdout, "stdout"),
                             daemon=True),
            threading.Thread(target=self._read_output, args=(self._proc.stderr, "stderr"),
                             daemon=True),
        ]
        for thread in self._readers:
            thread.start()
        threading.Thread(target=self._monitor, daemon=True).start()
        return self

    # ---------------------------------------------------------------- readers
    def _read_events(self, fd: int) -> None:
        with os.fdopen(fd, "rb") as pipe:
            while True:
                try:
                    line = pipe.readline(MAX_LINE + 1)
                except (OSError, ValueError):
                    return
                if not line:
                    return
                if len(line) > MAX_LINE and not line.endswith(b"\n"):
                    self._skip_rest_of_line(pipe)
                    continue
                event = parse_line(line)
                if event is None:
                    continue
                kind = event["kind"]
                if kind in WORKER_KINDS and not self._from_worker(event):
                    continue  # code under check claiming a verdict
                if kind == "check":
                    if self._got_check is None:
                        self._got_check = event
                    continue  # sent once the run is over, see _finish
                if kind == "end":
                    self._got_end = event
                    continue  # the runner sends the one true end event
                if kind == "metric":
                    for name, value in event["values"].items():
                        self._last_metrics[name] = value
                elif kind == "note" and "device" in event:
                    self.device = str(event["device"])
                self._queue.put(event)

    def _from_worker(self, event: Event) -> bool:
        """True for the worker's own start, check and end events (the token is removed).

        The worker announces a token in its ``start`` event, before any learner code runs;
        its check and end events carry it. Start events are passed on either way.
        """
        token = event.pop("token", None)
        if event["kind"] == "start":
            if self._token is None and isinstance(token, str) and token:
                self._token = token
            return True
        return self._token is not None and token == self._token

    @staticmethod
    def _skip_rest_of_line(pipe: object) -> None:
        while True:
            chunk = pipe.readline(MAX_LINE)  # type: ignore[attr-defined]
            if not chunk or chunk.endswith(b"\n"):
                return

    def _read_output(self, stream: object, kind: str) -> None:
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        fd = stream.fileno()  # type: ignore[attr-defined]
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            with self._output_lock:
                room = self.spec.output_limit - self._output_used
                keep = chunk[: max(0, room)]
                self._output_used += len(keep)
                self._output_dropped += len(chunk) - len(keep)
            if keep:
                text = decoder.decode(keep)
                if text:
                    self._queue.put({"kind": kind, "text": text})
        tail = decoder.decode(b"", final=True)
        if tail:
            self._queue.put({"kind": kind, "text": tail})

    # ---------------------------------------------------------------- monitor
    def _monitor(self) -> None:
        assert self._proc is not None and self._family is not None
        proc, family = self._proc, self._family
        limit = self.spec.memory_mb * 1024 * 1024
        members = [proc.pid]
        next_scan = 0.0
        while True:
            try:
                proc.wait(timeout=POLL_S)
                break
            except subprocess.TimeoutExpired:
                pass
            now = time.monotonic()
            if self._stop_reason is None and now - self._started > self.spec.timeout_s:
                self._stop("timeout")
            if self._stop_reason is None:
                if now >= next_scan:  # a scan of /proc finds new processes; reading the
                    next_scan = now + MEMORY_POLL_S  # memory of known ones is cheap
                    members = family.members()
                rss = self.rss = sum(procfs.rss_bytes(pid) for pid in members)
                self._peak_rss = max(self._peak_rss, rss)
                if rss > limit:
                    self._stop("memory")
        family.kill()  # reap anything the learner code left behind
        for thread in self._readers:
            thread.join(timeout=2.0)
        self._finish(proc.returncode)

    def _stop(self, reason: str) -> None:
        with self._stop_lock:
            if self._stop_reason is not None or self._proc is None or self._family is None:
                return
            self._stop_reason = reason
        proc, family = self._proc, self._family
        if reason == "timeout":
            self._cpu_at_stop = sum(procfs.cpu_seconds(pid) or 0.0 for pid in family.members())
        family.signal(signal.SIGTERM if reason == "cancelled" else signal.SIGKILL)
        deadline = time.monotonic() + GRACE_S
        while proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        family.kill()

    def cancel(self) -> None:
        """Stop the run: SIGTERM to its process group, SIGKILL after a grace second."""
        if self._proc is not None and not self._done.is_set():
            threading.Thread(target=self._stop, args=("cancelled",), daemon=True).start()

    # ----------------------------------------------------------------- finish
    def _describe_stop(self, returncode: int | None) -> tuple[str, Outcome, str]:
        reason = self._stop_reason
        if reason == "timeout":
            flood = ""
            if self._output_dropped:
                flood = (f" It printed {_size(self._output_used + self._output_dropped)} of "
                         f"output on the way (only the first {_size(self._output_used)} is shown).")
            advice = "Look for a loop that never ends, or make the work smaller."
            if self._cpu_at_stop is not None and self._cpu_at_stop < 0.25 * self.spec.timeout_s:
                advice = ("Your code was waiting, not computing, most of that time: look for "
                          "time.sleep, or a process, lock or queue that never answers.")
            return ("timeout", Outcome.TIMEOUT,
                    f"Stopped after {self.spec.timeout_s:g} s, the time limit of this exercise. "
                    f"{advice}{flood}")
        if reason == "memory":
            return ("memory", Outcome.ERROR,
                    f"Stopped: the run used more than {self.spec.memory_mb} MB of memory "
                    f"(peak seen {self._peak_rss / 2**20:.0f} MB). Look for data that grows "
                    "without bound or arrays far larger than needed.")
        if reason == "cancelled":
            return "cancelled", Outcome.CANCELLED, "Cancelled."
        if returncode == EVENTS_LOST_STATUS:
            return ("error", Outcome.ERROR,
                    "Your code closed the pipe that carries the result back to homl-tui "
                    "(os.close or os.closerange on a file descriptor it did not open), so the "
                    "result was lost. Close only the files your code opened.")
        if returncode is not None and returncode < 0:
            name = _signal_name(returncode)
            what = " (a segmentation fault)" if name == "SIGSEGV" else ""
            return ("crashed", Outcome.ERROR,
                    f"The Python process running your code crashed with {name}{what}.")
        return ("error", Outcome.ERROR,
                f"Your code ended the process (exit status {returncode}) before the "
                f"{'check' if self.spec.mode == 'check' else 'run'} finished. Remove calls to "
                "exit() or os._exit().")

    def _finish(self, returncode: int | None) -> None:
        duration = time.monotonic() - self._started
        changed = self._guard.restore()
        check = self._got_check
        end = self._got_end
        outcome: Outcome | None = None
        details = ""
        if self._stop_reason is None and end is not None:
            status = str(end.get("status", "ok"))
            message = str(end.get("message", ""))
        else:
            status, outcome, message = self._describe_stop(returncode)
        if self.spec.mode == "check":
            # The worker's verdict stands even if the process had to be stopped afterwards
            # (e.g. a learner thread kept it alive).
            if check is not None:
                outcome = Outcome.parse(check.get("outcome"))
                message = str(check.get("message", ""))
                details = str(check.get("details", ""))
            else:
                outcome = outcome or Outcome.ERROR
        if changed:
            status, message, details = "error", _changed_message(changed), ""
            if self.spec.mode == "check":
                outcome = Outcome.ERROR
        if self.spec.mode == "check" and outcome is not None:
            self._queue.put({**(check or {}), "kind": "check", "outcome": outcome.value,
                             "message": message, "details": details})
        if self._output_dropped:
            self._queue.put({"kind": "stderr", "text":
                             f"\n[output truncated: {self._output_dropped:,} more bytes "
                             "were not shown]\n"})
        self.result = RunResult(
            status=status, outcome=outcome, message=message, details=details,
            duration_s=duration, returncode=returncode, output_dropped=self._output_dropped,
            last_metrics=dict(self._last_metrics),
        )
        self._queue.put({"kind": "end", "status": status, "message": message,
                         "duration_s": duration,
                         "outcome": outcome.value if outcome else None})
        self._done.set()

    def _finish_without_process(self, message: str) -> None:
        self.result = RunResult(status="error", outcome=Outcome.ERROR, message=message)
        if self.spec.mode == "check":
            self._queue.put({"kind": "check", "outcome": "ERROR", "message": message,
                             "details": ""})
        self._queue.put({"kind": "end", "status": "error", "message": message,
                         "duration_s": 0.0, "outcome": "ERROR"})
        self._done.set()

    # ---------------------------------------------------------------- consume
    @property
    def done(self) -> bool:
        return self._done.is_set()

    @property
    def peak_rss(self) -> int:
        """The highest resident memory, in bytes, seen so far."""
        return self._peak_rss

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def drain(self, limit: int | None = None) -> list[Event]:
        """Events that have arrived, without waiting (at most ``limit``)."""
        events: list[Event] = []
        while limit is None or len(events) < limit:
            try:
                events.append(self._queue.get_nowait())
            except queue.Empty:
                break
        return events

    def iter_events(self) -> Iterator[Event]:
        """Every event in order, blocking; ends after the ``end`` event."""
        while True:
            event = self._queue.get()
            yield event
            if event["kind"] == "end":
                return

    def wait(self, on_event: Callable[[Event], None] | None = None) -> RunResult:
        """Consume every event (passing each to ``on_event``) and return the result."""
        for event in self.iter_events():
            if on_event is not None:
                on_event(event)
        assert self.result is not None
        return self.result


def start_run(spec: RunSpec) -> Run:
    """Create and start a run."""
    return Run(spec).start()
