"""``homl-tui runs``: the run history, headless, and following a run from the terminal.

    homl-tui runs [--all] [--json]      recent runs (active ones first), like the runs screen
    homl-tui runs show ID               one run: settings, status, last value of each metric
    homl-tui runs follow ID             stream a run's output and metrics until it ends
    homl-tui runs stop ID               stop a run (it is recorded as cancelled)
    homl-tui runs resume ID             start the run again from its last checkpoint
    homl-tui runs rm ID...              forget finished runs

``homl-tui run LESSON/EX`` starts a detached run and follows it (:func:`follow`);
with ``--detach`` it only starts it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import TYPE_CHECKING, TextIO

from homl_tui.store.runs import duration_text

if TYPE_CHECKING:
    from homl_tui.store import Store
    from homl_tui.store.runs import RunInfo

METRIC_PRINT_INTERVAL_S = 0.5
POLL_S = 0.1
MARKS = {"ok": "✔", "failed": "✘", "running": "▶", "starting": "▶", "cancelled": "■",
         "lost": "?", "timeout": "⏱"}
#: The marks for an output that cannot show the ones above (``LC_ALL=C``, an ASCII console).
ASCII_MARKS = {"ok": "+", "failed": "x", "running": ">", "starting": ">", "cancelled": "-",
               "lost": "?", "timeout": "T"}


def marks_for(stream: TextIO) -> dict[str, str]:
    """:data:`MARKS` if ``stream``'s encoding can write them, else :data:`ASCII_MARKS`."""
    try:
        "".join(MARKS.values()).encode(getattr(stream, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return ASCII_MARKS
    return MARKS


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("runs", parents=[common], help="list, follow, stop and resume runs")
    p.add_argument("action", nargs="?", default="list",
                   choices=["list", "show", "follow", "stop", "resume", "rm"])
    p.add_argument("ids", nargs="*", type=int, metavar="ID")
    p.add_argument("--all", action="store_true", help="list every run (default: the last 20)")
    p.add_argument("--json", action="store_true", help="machine-readable output")


def describe(info: RunInfo, marks: dict[str, str] = MARKS) -> str:
    """One line for a run: ``#12 ▶ running 3m05s  cnn/digits_cnn run  cuda  lr=0.01``."""
    mark = marks.get(info.status, "!")
    status = info.status + (f" ({info.outcome})" if info.outcome and info.mode == "check" else "")
    config = info.settings
    parts = [f"#{info.id:<4} {mark} {status:<16} {duration_text(info.duration_s()):>7}",
             f"{info.exercise} {info.mode}", info.device or "-"]
    if info.kind != "learner":
        parts.append(f"[{info.kind}]")
    if config:
        parts.append(config)
    return "  ".join(parts)


def _need_ids(args: argparse.Namespace, many: bool = False) -> list[int]:
    from homl_tui.cli import UsageError

    if not args.ids or (len(args.ids) > 1 and not many):
        raise UsageError(f"runs {args.action} needs {'run ids' if many else 'one run id'}")
    return list(args.ids)


def _get(store: Store, run_id: int) -> RunInfo:
    from homl_tui.cli import UsageError

    info = store.runs.get(run_id)
    if info is None:
        raise UsageError(f"no run #{run_id} (see `homl-tui runs`)")
    return info


def cmd_runs(args: argparse.Namespace, store: Store) -> int:
    from homl_tui.runtime.detached import forget_run, reap, stop_run

    reap(store)
    if args.action == "list":
        return _list(args, store)
    if args.action == "rm":
        failed = 0
        for run_id in _need_ids(args, many=True):
            if forget_run(store, run_id):
                print(f"run #{run_id} forgotten")
            else:
                failed += 1
                print(f"run #{run_id} is still going or does not exist", file=sys.stderr)
        return 1 if failed else 0
    (run_id,) = _need_ids(args)
    info = _get(store, run_id)
    if args.action == "show":
        return _show(args, store, info)
    if args.action == "follow":
        return follow(store, run_id)
    if args.action == "stop":
        if not info.active:
            why = f": {info.message}" if info.status == "lost" and info.message else ""
            print(f"run #{run_id} already ended ({info.status}){why}")
            return 0
        print(f"stopping run #{run_id}...", file=sys.stderr)
        after = stop_run(store, run_id)
        print(describe(after, marks=marks_for(sys.stdout)) if after else f"run #{run_id} is gone")
        return 0
    return _resume(args, store, info)


def _list(args: argparse.Namespace, store: Store) -> int:
    runs = store.runs.list(100_000 if args.all else 20, kind=None)
    runs.sort(key=lambda r: (not r.active, -r.id))
    if args.json:
        print(json.dumps([{**info.__dict__, "last": store.runs.last_values(info.id)}
                          for info in runs], default=str, indent=1))
        return 0
    if not runs:
        print("No runs yet. Run an exercise (ctrl+r in the app, or `homl-tui run LESSON/EX`).")
        return 0
    marks = marks_for(sys.stdout)
    for info in runs:
        print(describe(info, marks=marks))
    active = sum(info.active for info in runs)
    if active:
        print(f"\n{active} still going: `homl-tui runs follow ID` to watch one, "
              "`homl-tui runs stop ID` to stop it, or open the app (the runs screen).")
    return 0


def _show(args: argparse.Namespace, store: Store, info: RunInfo) -> int:
    last = store.runs.last_values(info.id)
    if args.json:
        print(json.dumps({**info.__dict__, "last": last}, default=str, indent=1))
        return 0
    print(describe(info, marks=marks_for(sys.stdout)))
    started = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(info.started))
    print(f"  started {started} on {info.host or '?'}, code {info.code_hash or '?'}, "
          f"seed {info.seed}")
    if info.device_name:
        print(f"  device: {info.device_name}")
    if info.message:
        print(f"  {info.message}")
    if info.resumed_from:
        print(f"  resumed from run #{info.resumed_from}")
    if info.checkpoint:
        print(f"  checkpoint: {info.checkpoint}")
    for name, value in last.items():
        print(f"  {name:<20} {value:.6g}")
    return 0


def _resume(args: argparse.Namespace, store: Store, info: RunInfo) -> int:
    from homl_tui.cli import UsageError
    from homl_tui.paths import data_paths
    from homl_tui.runtime.detached import resume_run

    try:
        run_id, _ = resume_run(store, info, log_dir=data_paths(args.data_dir).runs)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    print(f"run #{run_id} resumes run #{info.id}", file=sys.stderr)
    return follow(store, run_id)


def _format_metrics(step: int, values: dict[str, float]) -> str:
    shown = " ".join(f"{k}={v:.4g}" for k, v in values.items())  # nan and inf print as such
    return f"[step {step}] {shown}"


def follow(store: Store, run_id: int) -> int:
    """Print a run's output as it comes and its metrics at most twice a second (the last
    values always), until it ends; exit status 0 if it ended well. Ctrl-C stops the run."""
    from homl_tui.runtime.detached import Follower, stop_run

    out, err = sys.stdout, sys.stderr
    follower = Follower(store, run_id)
    held: tuple[int, dict[str, float]] | None = None
    printed_at = 0.0
    try:
        while True:
            batch = follower.poll()
            for stream, text in batch.output:
                target = out if stream == "stdout" else err
                target.write(text)
                target.flush()
            for step, name, value in batch.metrics:
                if held is not None and held[0] != step:
                    now = time.monotonic()
                    if now - printed_at >= METRIC_PRINT_INTERVAL_S:
                        print(_format_metrics(*held), file=out, flush=True)
                        printed_at = now
                    held = None
                held = held or (step, {})
                held[1][name] = value
            if batch.end is not None:
                break
            time.sleep(POLL_S)
    except KeyboardInterrupt as exc:
        print(f"\nstopping run #{run_id}... (start with --detach to leave a run going)", file=err)
        stop_run(store, run_id)
        if type(exc) is not KeyboardInterrupt:  # a termination signal: main says which
            raise
        return 130
    if held is not None:
        print(_format_metrics(*held), file=out, flush=True)
    end = batch.end or {}
    status = str(end.get("status", "error"))
    print(f"{status}: {end.get('message', '')} ({float(end.get('duration_s') or 0):.1f} s)",
          file=err)
    return 0 if status == "ok" else 1
