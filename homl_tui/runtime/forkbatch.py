"""Run many checks of *trusted* code (reference solutions, starters, mutants) fast.

``homl-tui lint`` runs every lesson's solution, starter and mutants: hundreds of checks whose
cost is mostly starting Python and importing torch or scikit-learn (1 to 2 s each), not the
check itself. This module is a small fork server: ``python -m homl_tui.runtime.forkbatch``
reads a JSON list of run specs on stdin, imports the frameworks they need once, then forks one
child per spec. Each child is a copy of the warm interpreter in its own session; it runs the
very same code as :mod:`homl_tui.runtime.worker` (``worker.main``), so outcomes and messages
are those of a normal run. The parent reads the child's events, enforces the wall-clock
timeout (killing the child's process group), and prints one JSON result line per spec.

Learners' code never goes through here: the app and ``homl-tui check`` start a fresh
interpreter per run (:mod:`homl_tui.runtime.runner`), with the memory watchdog and output cap.
Forking after importing NumPy/torch is safe because nothing has run in parallel yet (no
OpenMP region, no CUDA context) when the children are forked.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import sys
import time
from typing import Any

from homl_tui.course.loader import KNOWN_FRAMEWORKS
from homl_tui.outcome import Outcome
from homl_tui.runtime.events import ENV_FD, parse_line
from homl_tui.runtime.spec import RunSpec


def _warm_up(specs: list[RunSpec]) -> None:
    """Import every framework the specs name (what makes each child start fast)."""
    wanted = {name for spec in specs for name in spec.frameworks}
    for name in sorted(wanted & KNOWN_FRAMEWORKS):
        with contextlib.suppress(ImportError):  # the child reports it as a normal run would
            __import__(name)
    if "torch" in wanted:  # the first optimizer imports torch._dynamo (seconds): do it once
        with contextlib.suppress(Exception):
            import torch

            torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    if "sklearn" in wanted:  # the submodules almost every check uses
        for sub in ("sklearn.model_selection", "sklearn.metrics", "sklearn.linear_model"):
            with contextlib.suppress(ImportError):
                __import__(sub)


def _child(spec: RunSpec, write_fd: int) -> None:
    """In the forked child: become a worker run of ``spec``; never returns."""
    code = 1
    try:
        os.setsid()
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.environ[ENV_FD] = str(write_fd)
        os.environ.update(spec.env)
        os.chdir(spec.cwd or os.path.dirname(os.path.abspath(spec.target)))
        from homl_tui import report
        from homl_tui.runtime import worker

        report._connect_from_env()  # the parent had no event pipe
        code = worker.main([spec.to_json()])
    except BaseException:  # noqa: BLE001 - the parent sees a run without a check event
        code = 1
    finally:
        os._exit(code)


def run_one(spec: RunSpec) -> dict[str, Any]:
    """Fork a child for ``spec``, collect its events, return the result as a dict."""
    read_fd, write_fd = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(read_fd)
        _child(spec, write_fd)
    os.close(write_fd)
    check: dict[str, Any] | None = None
    end: dict[str, Any] | None = None
    timed_out = False
    buffer = b""
    deadline = started + spec.timeout_s
    with os.fdopen(read_fd, "rb", buffering=0) as pipe:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([pipe], [], [], min(left, 0.5))
            if not ready:
                continue
            chunk = os.read(pipe.fileno(), 65536)
            if not chunk:
                break
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                event = parse_line(line)
                if event is None:
                    continue
                if event["kind"] == "check":
                    check = event
                elif event["kind"] == "end":
                    end = event
    if timed_out:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    with contextlib.suppress(ProcessLookupError, PermissionError):  # what the run left behind
        os.killpg(pid, signal.SIGKILL)
    duration = time.monotonic() - started
    if timed_out:
        return {"status": "timeout", "outcome": Outcome.TIMEOUT.value, "duration_s": duration,
                "message": f"Stopped after {spec.timeout_s:.0f} s (the time limit).",
                "details": ""}
    if check is None:
        how = (f"was killed by signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status)
               else f"exited with status {os.WEXITSTATUS(status)}")
        return {"status": "crashed", "outcome": Outcome.ERROR.value, "duration_s": duration,
                "message": f"The run {how} before the check finished.", "details": ""}
    return {
        "status": str((end or {}).get("status", "ok")), "outcome": check.get("outcome"),
        "message": str(check.get("message", "")), "details": str(check.get("details", "")),
        "duration_s": duration,
    }


def main() -> int:
    specs = [RunSpec.from_json(json.dumps(item)) for item in json.load(sys.stdin)]
    _warm_up(specs)
    out = sys.stdout
    for index, spec in enumerate(specs):
        result = run_one(spec)
        result["index"] = index
        out.write(json.dumps(result) + "\n")
        out.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
