"""The child process of a run: execute the learner's file, then its check.

Started by :mod:`homl_tui.runtime.runner` as ``python -m homl_tui.runtime.worker
SPEC_JSON`` in a fresh interpreter, with stdin closed and in its own session.
Events go to the pipe named by ``HOML_TUI_EVENTS_FD`` (see :mod:`homl_tui.report`);
the learner's own prints go to stdout and stderr untouched.
"""

from __future__ import annotations

import os
import runpy
import signal
import sys
import threading
import time
import traceback
from pathlib import Path
from types import ModuleType, TracebackType

from homl_tui import report
from homl_tui.checks.context import CheckContext, load_module, seed_everything
from homl_tui.checks.errors import CheckFailed, NotAttempted
from homl_tui.outcome import Outcome
from homl_tui.runtime.spec import RunSpec

LEARNER_MODULE = "learner"


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
    parent = os.getppid()

    def loop() -> None:
        while os.getppid() == parent:
            time.sleep(every_s)
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
    if isinstance(exc, SystemExit):
        return (Outcome.ERROR, f"Your code called sys.exit({exc.code!r}) before the check "
                "could finish. Remove the exit call.", trimmed_traceback(exc, target))
    if isinstance(exc, KeyboardInterrupt):
        return (Outcome.ERROR, "Your code raised KeyboardInterrupt before the check could finish.",
                trimmed_traceback(exc, target))
    if frames:
        last = frames[-1]
        return (Outcome.ERROR,
                f"Your code raised {_exception_line(exc)} (line {last.lineno}, in {last.name}).",
                trimmed_traceback(exc, target))
    return (Outcome.ERROR,
            f"The check stopped on an unexpected error: {_exception_line(exc)}. This usually "
            "means your code returned something of an unexpected type or shape.",
            "".join(traceback.format_exception(exc)))


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
    ctx = CheckContext(
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
        seed_everything(spec.seed)
        learner = _load_learner(target)
        seed_everything(spec.seed)
        check_fn(learner, ctx)
    except BaseException as exc:  # noqa: BLE001 - every failure becomes an outcome
        return _classify(exc, target)
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


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    spec = RunSpec.from_json(argv[0])
    # Whole lines reach the app as soon as they are printed (not byte by byte, not held back).
    for stream in (sys.stdout, sys.stderr):
        stream.reconfigure(line_buffering=True, write_through=False)
    started = time.monotonic()
    _die_with_parent()
    _checkpoint_environment(spec)
    target = Path(spec.target).resolve()
    sys.path.insert(0, str(target.parent))
    report.emit({"kind": "start", "pid": os.getpid(), "mode": spec.mode, "label": spec.label})
    try:
        _prepare(spec)
    except ImportError as exc:
        report.emit({"kind": "check", "outcome": Outcome.ERROR.value,
                     "message": f"A package this exercise needs is missing: {exc}", "details": ""})
        report.emit({"kind": "end", "status": "error", "duration_s": time.monotonic() - started})
        report.flush()
        return 1
    if spec.mode == "check":
        outcome, message, details = run_check(spec, target)
        report.emit({"kind": "check", "outcome": outcome.value, "message": message,
                     "details": details})
        status = "ok" if outcome is Outcome.PASS else "failed"
    else:
        status, message = run_script(target)
    sys.stdout.flush()
    sys.stderr.flush()
    report.emit({"kind": "end", "status": status, "message": message,
                 "duration_s": time.monotonic() - started})
    report.flush()
    if spec.mode == "check":
        # The verdict is sent: do not wait for threads the learner's code left running.
        os._exit(0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
