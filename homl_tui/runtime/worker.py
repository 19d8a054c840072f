"""The child process of a run: execute the learner's file, then its check.

Started by :mod:`homl_tui.runtime.runner` as ``python -m homl_tui.runtime.worker
SPEC_JSON`` in a fresh interpreter, with stdin closed and in its own session.
Events go to the pipe named by ``HOML_TUI_EVENTS_FD`` (see :mod:`homl_tui.report`);
the learner's own prints go to stdout and stderr untouched.

The worker's own events (start, the verdict, end) travel on a private copy of that pipe,
made before any learner code runs, at a high file descriptor, each tagged with a token
announced in the start event: code that closes the report pipe, writes garbage to it or
forges a verdict cannot stop the real one from arriving, nor pass for it. If the learner's
code closed even the private copy, the worker exits with
:data:`~homl_tui.runtime.events.EVENTS_LOST_STATUS` and the runner says so.

The check and the reference solution are read before the learner's file runs, and the
functions the check relies on are recorded (:mod:`homl_tui.checks.integrity`): a check that
passes after the learner's code replaced one of them is an ERROR, not a PASS.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import errno
import os
import runpy
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType, TracebackType
from typing import Any

from homl_tui import report
from homl_tui.checks import integrity
from homl_tui.checks.context import CheckContext, load_module, seed_everything
from homl_tui.checks.errors import CheckFailed, NotAttempted
from homl_tui.outcome import Outcome
from homl_tui.runtime.events import EVENTS_LOST_STATUS, PARENT_PID_VAR
from homl_tui.runtime.procfs import ProcessFamily
from homl_tui.runtime.spec import RunSpec

LEARNER_MODULE = "learner"
PR_SET_CHILD_SUBREAPER = 36


class ChannelLost(Exception):
    """The learner's code closed the worker's private copy of the event pipe."""


class Channel:
    """The worker's private copy of the event pipe, for the events only it may send."""

    def __init__(self, fd: int, token: str) -> None:
        self.fd = fd
        self.token = token
        self._identity = self._stat()

    @classmethod
    def open(cls) -> Channel | None:
        """The copy of the event pipe :mod:`homl_tui.report` made for the worker, at a high
        descriptor (None outside homl-tui)."""
        fd = report._worker_fd
        if fd is None and report._stream is not None:  # a low limit on open files
            fd = os.dup(report._stream.fileno())
        return None if fd is None else cls(fd, os.urandom(16).hex())

    def _stat(self) -> tuple[int, int] | None:
        try:
            info = os.fstat(self.fd)
        except OSError:
            return None
        return info.st_dev, info.st_ino

    def send(self, event: Mapping[str, Any]) -> None:
        """Write one event now, after whatever :mod:`homl_tui.report` still holds.

        The line starts with a newline, which ends any half line of garbage before it.
        Raises :class:`ChannelLost` if the pipe was closed (or replaced by another file).
        """
        with contextlib.suppress(Exception):
            report.flush()
        if self._identity is None or self._stat() != self._identity:
            raise ChannelLost
        data = ("\n" + report._encode({**event, "token": self.token}) + "\n").encode("utf-8")
        locked = report._lock.acquire(timeout=2.0)
        try:
            while data:
                data = data[os.write(self.fd, data):]
        except BrokenPipeError:
            return  # nobody is reading any more
        except OSError as exc:
            if exc.errno == errno.EBADF:
                raise ChannelLost from None
            raise
        finally:
            if locked:
                report._lock.release()


def _become_subreaper() -> None:
    """Adopt the orphans of the processes the learner's code starts (Linux), so that those
    which leave the run's session (``setsid``, daemons) stay in its process tree and are
    found and killed with it."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _kill_descendants() -> None:
    """Kill every process the learner's code started that is still running."""
    ProcessFamily(os.getpid()).kill(spare_root=True)


def _normalise(source: str) -> str:
    return "\n".join(line.rstrip() for line in source.strip().splitlines())


def _learner_frames(tb: TracebackType | None, target: Path) -> list[traceback.FrameSummary]:
    target_name = str(target)
    return [f for f in traceback.extract_tb(tb) if f.filename == target_name]


def _exception_line(exc: BaseException) -> str:
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()


def trimmed_traceback(exc: BaseException, target: Path) -> str:
    """The traceback of ``exc`` with only the frames in the learner's file."""
    frames = _learner_frames(exc.__traceback__, target)
    lines = ["Traceback (your code only):"]
    for frame in frames:
        lines.append(f'  File "{target.name}", line {frame.lineno}, in {frame.name}')
        if frame.line:
            lines.append(f"    {frame.line.strip()}")
    lines.append(_exception_line(exc))
    return "\n".join(lines)


def _syntax_error_message(exc: SyntaxError, target: Path) -> tuple[str, str]:
    line = exc.lineno or 0
    message = f"{type(exc).__name__} in {target.name}, line {line}: {exc.msg}"
    details = ""
    if exc.text:
        text = exc.text.rstrip("\n")
        stripped = text.lstrip()
        caret = max(0, (exc.offset or 1) - 1 - (len(text) - len(stripped)))
        details = f"    {stripped}\n    {' ' * caret}^"
    return message, details


def _prepare(spec: RunSpec) -> str:
    """Import and seed the frameworks the exercise uses; return the device name."""
    device = "cpu"
    for name in spec.frameworks:
        if name == "torch":
            import torch

            torch.set_num_threads(max(1, spec.threads))
            from homl_tui.runtime.device import ENV_DEVICE, pick_device

            device, label = pick_device(spec.device)
            os.environ[ENV_DEVICE] = device
            report.emit({"kind": "note", "device": device, "device_name": label})
            if device == "cuda":
                _watch_gpu_memory(torch)
        elif name == "sklearn":
            import sklearn  # noqa: F401
        elif name in ("numpy", "pandas", "gymnasium", "transformers"):
            __import__(name)
    if "torch" not in spec.frameworks:
        report.emit({"kind": "note", "device": "cpu", "device_name": "CPU"})
    seed_everything(spec.seed)
    return device


def _watch_gpu_memory(torch: ModuleType, every_s: float = 1.0) -> None:
    """Report the GPU memory the run holds, once a second, for the dashboard."""

    def loop() -> None:
        while True:
            try:
                allocated = torch.cuda.memory_allocated() / 2**20
                reserved = torch.cuda.memory_reserved() / 2**20
            except Exception:  # noqa: BLE001 - a broken CUDA context: stop reporting
                return
            report.emit({"kind": "note", "resources": {"gpu_mb": round(allocated, 1),
                                                       "gpu_reserved_mb": round(reserved, 1)}})
            time.sleep(every_s)

    threading.Thread(target=loop, name="homl-gpu-memory", daemon=True).start()


def _die_with_parent(every_s: float = 0.5) -> None:
    """End this run (and what it started) if the process watching it goes away.

    The runner or supervisor reads the run's events and enforces its limits; without it the
    run would train on, unseen and unbounded. (Not ``PR_SET_PDEATHSIG``: it fires when the
    parent *thread* that started us exits, and runners start runs from worker threads.)
    """
    # The pid of the process that started us, as it said; ``getppid()`` would be too late
    # if it died before this line (we would already belong to init, and never notice).
    expected = os.environ.pop(PARENT_PID_VAR, "")
    parent = int(expected) if expected.isdigit() else os.getppid()

    def loop() -> None:
        while os.getppid() == parent:
            time.sleep(every_s)
        _kill_descendants()
        if os.getpgid(0) == os.getpid():
            os.killpg(os.getpid(), signal.SIGKILL)
        os._exit(1)

    threading.Thread(target=loop, name="homl-parent-watch", daemon=True).start()


def _checkpoint_environment(spec: RunSpec) -> None:
    """Tell :func:`homl_tui.report.save_checkpoint` where to write, and whether to resume."""
    if spec.mode != "run" or not spec.checkpoint_dir:
        return
    os.environ[report.ENV_CHECKPOINT_DIR] = spec.checkpoint_dir
    if spec.resume_file:
        os.environ[report.ENV_RESUME_FILE] = spec.resume_file


def _load_learner(target: Path) -> ModuleType:
    sys.modules.pop(LEARNER_MODULE, None)
    return load_module(target, LEARNER_MODULE)


def _exit_message(exc: SystemExit | KeyboardInterrupt,
                  frames: list[traceback.FrameSummary]) -> str:
    """What the learner's code did to end the check early, in its own words."""
    last = frames[-1] if frames else None
    where = f" (line {last.lineno}, in {last.name})" if last else ""
    if isinstance(exc, KeyboardInterrupt):
        return f"Your code raised KeyboardInterrupt{where} before the check could finish."
    code = exc.code
    if last is not None and (last.line or "").lstrip().startswith("raise"):
        what = f"raised SystemExit({code!r})" if code is not None else "raised SystemExit"
    else:
        what = f"called sys.exit({code!r})" if code is not None else "called sys.exit()"
    return f"Your code {what}{where} before the check could finish. Remove the exit call."


def _missing_module_hint(exc: BaseException, frames: list[traceback.FrameSummary]) -> str:
    if not isinstance(exc, ModuleNotFoundError) or not exc.name or not frames:
        return ""
    top = exc.name.split(".")[0]
    if top not in (frames[-1].line or ""):
        return ""  # a library your code imported needs it: not a typo in your code
    return f" Check the spelling of `{exc.name}`: no module of that name is installed."


def _classify(exc: BaseException, target: Path) -> tuple[Outcome, str, str]:
    """Turn an exception raised while checking into (outcome, message, details)."""
    if isinstance(exc, CheckFailed):
        return Outcome.FAIL, exc.message, ""
    if isinstance(exc, NotAttempted):
        return Outcome.NOT_ATTEMPTED, exc.message, ""
    if isinstance(exc, SyntaxError) and exc.filename == str(target):
        message, details = _syntax_error_message(exc, target)
        return Outcome.ERROR, message, details
    frames = _learner_frames(exc.__traceback__, target)
    if isinstance(exc, NotImplementedError) and frames:
        where = frames[-1].name
        name = "your file" if where == "<module>" else f"`{where}`"
        return (Outcome.NOT_ATTEMPTED,
                f"{name} still raises NotImplementedError: replace the TODO placeholder "
                f"(line {frames[-1].lineno}) with your code.", "")
    if isinstance(exc, (SystemExit, KeyboardInterrupt)):
        return Outcome.ERROR, _exit_message(exc, frames), trimmed_traceback(exc, target)
    if frames:
        last = frames[-1]
        return (Outcome.ERROR,
                f"Your code raised {_exception_line(exc)} (line {last.lineno}, in {last.name})."
                + _missing_module_hint(exc, frames),
                trimmed_traceback(exc, target))
    return (Outcome.ERROR,
            f"The check stopped on an unexpected error: {_exception_line(exc)}. This usually "
            "means your code returned something of an unexpected type or shape.",
            "".join(traceback.format_exception(exc)))


def _tampered(names: list[str]) -> tuple[Outcome, str, str]:
    listed = ", ".join(f"`{n}`" for n in names[:3])
    more = f" and {len(names) - 3} more" if len(names) > 3 else ""
    return (Outcome.ERROR,
            f"Your code changed {listed}{more}, which the check relies on, so the check cannot "
            "trust its result. Leave the functions of Python, NumPy, torch and homl-tui as they "
            "are: give your own versions names of their own.", "")


def run_check(spec: RunSpec, target: Path) -> tuple[Outcome, str, str]:
    exercise_dir = Path(spec.exercise_dir or target.parent)
    try:
        source = target.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return Outcome.ERROR, f"Could not read {target.name}: {exc}", ""
    starter = exercise_dir / "starter.py"
    unchanged = (not spec.strict and starter.is_file()
                 and _normalise(source) == _normalise(starter.read_text(encoding="utf-8")))
    if unchanged:
        return (Outcome.NOT_ATTEMPTED,
                "You have not changed the starter code yet: fill in the TODOs.", "")
    ctx = CheckContext(  # reads the reference solution now, before the learner's file runs
        exercise_dir=exercise_dir,
        data_dir=Path(spec.data_dir) if spec.data_dir else exercise_dir,
        seed=spec.seed,
        device=os.environ.get("HOML_TUI_DEVICE", "cpu"),
    )
    try:
        check_module = load_module(exercise_dir / "check.py", "_homl_check")
        check_fn = check_module.check
    except BaseException as exc:  # noqa: BLE001 - a broken check is reported, not raised
        return (Outcome.ERROR, f"This exercise's check could not be loaded: {_exception_line(exc)}",
                "".join(traceback.format_exception(exc)))
    try:
        watched: integrity.Watch | None = integrity.watch(check_module)
    except Exception:  # noqa: BLE001 - an odd module must not stop the check
        watched = None
    try:
        seed_everything(spec.seed)
        learner = _load_learner(target)
        seed_everything(spec.seed)
        check_fn(learner, ctx)
    except BaseException as exc:  # noqa: BLE001 - every failure becomes an outcome
        return _classify(exc, target)
    try:
        changed = watched.changed() if watched is not None else []
    except Exception:  # noqa: BLE001
        changed = []
    if changed:
        return _tampered(changed)
    return Outcome.PASS, "All checks passed.", ""


def run_script(target: Path) -> tuple[str, str]:
    """Run the learner's file like ``python file.py``; return (status, message)."""
    sys.argv = [str(target)]
    try:
        runpy.run_path(str(target), run_name="__main__")
    except SystemExit as exc:
        if exc.code in (None, 0):
            return "ok", "Finished."
        return "error", f"Your script exited with status {exc.code!r}."
    except BaseException as exc:  # noqa: BLE001
        if isinstance(exc, SyntaxError) and exc.filename == str(target):
            message, details = _syntax_error_message(exc, target)
            sys.stderr.write(f"{message}\n{details}\n")
            return "error", message
        sys.stderr.write(trimmed_traceback(exc, target) + "\n")
        return "error", f"Your script raised {_exception_line(exc)}"
    return "ok", "Finished."


def _run(spec: RunSpec, send: Callable[[Mapping[str, Any]], None], started: float) -> int:
    target = Path(spec.target).resolve()
    sys.path.insert(0, str(target.parent))
    send({"kind": "start", "pid": os.getpid(), "mode": spec.mode, "label": spec.label})
    try:
        _prepare(spec)
    except ImportError as exc:
        send({"kind": "check", "outcome": Outcome.ERROR.value,
              "message": f"A package this exercise needs is missing: {exc}", "details": ""})
        send({"kind": "end", "status": "error", "duration_s": time.monotonic() - started})
        return 1
    if spec.mode == "check":
        outcome, message, details = run_check(spec, target)
        send({"kind": "check", "outcome": outcome.value, "message": message,
              "details": details})
        status = "ok" if outcome is Outcome.PASS else "failed"
    else:
        status, message = run_script(target)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # the learner's code may have closed them
            stream.flush()
    send({"kind": "end", "status": status, "message": message,
          "duration_s": time.monotonic() - started})
    return 0


def _internal_error(spec: RunSpec, send: Callable[[Mapping[str, Any]], None],
                    exc: Exception, started: float) -> int:
    message = (f"homl-tui itself failed while running this {spec.mode} ({_exception_line(exc)}). "
               "This is a bug in homl-tui, not in your code: please report it.")
    with contextlib.suppress(ChannelLost):
        if spec.mode == "check":
            send({"kind": "check", "outcome": Outcome.ERROR.value, "message": message,
                  "details": "".join(traceback.format_exception(exc))})
        send({"kind": "end", "status": "error", "message": message,
              "duration_s": time.monotonic() - started})
    return 1


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    spec = RunSpec.from_json(argv[0])
    # Whole lines reach the app as soon as they are printed (not byte by byte, not held back).
    for stream in (sys.stdout, sys.stderr):
        stream.reconfigure(line_buffering=True, write_through=False)
    started = time.monotonic()
    channel = Channel.open()
    _become_subreaper()
    if spec.mode != "check":  # registered first, so it runs last: after the learner's handlers
        atexit.register(_kill_descendants)
    _die_with_parent()
    _checkpoint_environment(spec)
    send = channel.send if channel else (lambda event: None)
    try:
        code = _run(spec, send, started)
    except ChannelLost:
        with contextlib.suppress(Exception):
            sys.stderr.write("homl-tui: the event pipe was closed by the code under check; "
                             "the result could not be sent.\n")
            sys.stderr.flush()
        _kill_descendants()
        os._exit(EVENTS_LOST_STATUS)
    except Exception as exc:  # noqa: BLE001 - a bug here must not read as the learner's fault
        code = _internal_error(spec, send, exc, started)
    if spec.mode == "check":
        # The verdict is sent: do not wait for threads the learner's code left running.
        _kill_descendants()
        os._exit(code)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
