"""The ``homl-tui`` command: the TUI by default, headless subcommands for scripts and CI.

    homl-tui                         open the app
    homl-tui list [--json]           lessons and exercises with status and file paths
    homl-tui check [LESSON[/EX]]     check the learner's workspace (--solutions: the references)
    homl-tui lint [LESSON[/EX]]      validate lessons: starters fail, solutions pass, mutants fail
    homl-tui run LESSON/EX           run the learner's file, streaming its output (--detach)
    homl-tui runs [ACTION] [ID]      the run history: list, show, follow, stop, resume, rm

Exit status: 0 when everything passed, 1 when something did not, 2 on usage errors,
130 on Ctrl-C, 128 + the signal's number when stopped by SIGTERM (or SIGHUP during a check
or lint: the runs in progress are cancelled and their processes ended first), 141 when
stdout is a pipe that was closed (``homl-tui list | head -1``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from homl_tui import __version__
from homl_tui.paths import data_paths, default_lessons_dir

if TYPE_CHECKING:
    from homl_tui.runtime.events import Event


def _common_options(defaults: bool) -> argparse.ArgumentParser:
    """Options accepted before and after the subcommand.

    The subcommands' copies have no defaults (``SUPPRESS``), so that an option
    given before the subcommand is not overwritten by the subcommand's default.
    """

    def default(value: object) -> object:
        return value if defaults else argparse.SUPPRESS

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", default=default(None),
                        help="where progress and your exercise files live "
                             "(default: $HOML_TUI_HOME or the user data folder)")
    common.add_argument("--lessons", metavar="DIR", default=default(None),
                        help="the lessons folder (default: bundled)")
    common.add_argument("--device", choices=["auto", "cpu", "cuda", "mps"],
                        default=default(None),
                        help="compute device for runs (default: the app's Device setting, "
                             "else auto = CUDA, MPS, then CPU)")
    return common


def _parser() -> argparse.ArgumentParser:
    common = _common_options(defaults=False)
    parser = argparse.ArgumentParser(
        prog="homl-tui", parents=[_common_options(defaults=True)],
        description="Learn machine learning by doing, in the terminal.")
    parser.add_argument("--version", action="version", version=f"homl-tui {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p_list = sub.add_parser("list", parents=[common], help="list lessons and exercises")
    p_list.add_argument("--json", action="store_true", help="machine-readable output")

    for name, text in (("check", "check your exercise files (or the reference solutions)"),
                       ("lint", "validate lessons: starters fail, solutions pass, mutants fail")):
        p = sub.add_parser(name, parents=[common], help=text)
        p.add_argument("target", nargs="?", metavar="LESSON[/EXERCISE]")
        p.add_argument("--jobs", "-j", type=int, default=0,
                       help="runs at a time (default: number of cores)")
        p.add_argument("--junit-xml", metavar="PATH", help="also write a JUnit XML report")
        if name == "check":
            p.add_argument("--solutions", action="store_true",
                           help="check the reference solutions instead of your files")
        else:
            p.add_argument("--verbose", "-v", action="store_true",
                           help="print the message of every run (e.g. what each mutant triggers)")
            p.add_argument("--isolated", action="store_true",
                           help="a fresh interpreter per run, as for learners (slower; the "
                                "default forks each run from a warm process)")

    p_data = sub.add_parser("data", parents=[common],
                            help="list the datasets, or download them ahead of time")
    p_data.add_argument("action", nargs="?", choices=["list", "fetch"], default="list")
    p_data.add_argument("names", nargs="*", metavar="NAME", help="datasets to fetch (default: all)")

    p_run = sub.add_parser("run", parents=[common], help="run your exercise file")
    p_run.add_argument("target", metavar="LESSON/EXERCISE")
    p_run.add_argument("--solution", action="store_true", help="run the reference solution")
    p_run.add_argument("--detach", action="store_true",
                       help="start the run and return; it keeps going after you log out")

    from homl_tui import runs_cli

    runs_cli.add_parser(sub, common)
    return parser


def _course(args: argparse.Namespace):
    from homl_tui.course import load_course

    root = Path(args.lessons).resolve() if args.lessons else default_lessons_dir()
    return load_course(root)


class UsageError(Exception):
    """A command-line mistake: printed as ``error: ...`` with exit status 2."""


class Stopped(KeyboardInterrupt):
    """A termination signal asked a headless command to stop.

    It unwinds like Ctrl-C (``KeyboardInterrupt``): a batch of checks cancels its runs and
    ends their processes on the way out, a followed run is stopped; :func:`main` then says
    ``stopped: SIGTERM`` and exits with 128 + the signal's number.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


#: The signals each headless command turns into :class:`Stopped`. A hang-up stops checks
#: (their runs are children of this process) but not ``run``/``runs follow``: a detached run
#: outlives a dropped connection, and so does the app's.
STOP_SIGNALS = {"check": (signal.SIGTERM, signal.SIGHUP), "lint": (signal.SIGTERM, signal.SIGHUP)}
DEFAULT_STOP_SIGNALS = (signal.SIGTERM,)


def _stop_on(signums: tuple[signal.Signals, ...]) -> None:
    """Raise :class:`Stopped` in the main thread on the first of ``signums``; ignore repeats
    (the first one is already stopping everything)."""

    def handler(signum: int, frame: object) -> None:
        for other in signums:
            signal.signal(other, signal.SIG_IGN)
        raise Stopped(signum)

    for signum in signums:
        signal.signal(signum, handler)


def _tolerant_output() -> None:
    """Text the output encoding cannot show (``✔`` under ``LC_ALL=C``, ``PYTHONIOENCODING=ascii``)
    is written escaped (``\\u2714``) instead of failing with ``UnicodeEncodeError``."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError, OSError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]


def _drop_stdout() -> None:
    """Send what is left for a closed stdout to /dev/null, so that the final flush at exit
    does not fail again (and print a traceback) on the broken pipe."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _say(text: str) -> None:
    """A last word on stderr, if stderr is still there to take it."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        print(text, file=sys.stderr, flush=True)


def _select(course, target: str | None):
    """The exercises ``target`` names; :class:`UsageError` if it names nothing known."""
    try:
        return course.select(target)
    except KeyError as exc:
        message = str(exc.args[0])
        if course.problems:  # the lesson may exist but have failed to load: say why
            message += "\nlessons that failed to load:\n" + "\n".join(
                f"  {p}" for p in course.problems)
        raise UsageError(message) from None


def _report_problems(course, out: TextIO) -> None:
    for problem in course.problems:
        print(f"warning: lesson skipped or incomplete: {problem}", file=out)


def _open_store(args: argparse.Namespace, err: TextIO, why: list[str] | None = None):
    """The progress store, or ``None`` (with a note on ``err``, and the reason added to
    ``why``) when it cannot be opened."""
    from homl_tui.store import Store, StoreError

    paths = data_paths(args.data_dir)
    try:
        store = Store(paths.db)
    except (StoreError, OSError) as exc:
        reason = str(exc) if isinstance(exc, StoreError) else exc.strerror or str(exc)
        print(f"note: progress will not be saved: {reason}", file=err)
        if why is not None:
            why.append(reason)
        return None
    if store.notice:
        print(f"note: {store.notice}", file=err)
    return store


def _status(progress) -> str:
    if progress is None or not progress.last_outcome:
        return "not started"
    if progress.passed:
        return "passed"
    return progress.last_outcome.lower().replace("_", " ")


def cmd_list(args: argparse.Namespace) -> int:
    from homl_tui.store import Workspace

    course = _course(args)
    paths = data_paths(args.data_dir)
    store = _open_store(args, sys.stderr)
    progress = store.all_progress() if store else {}
    workspace = Workspace(paths.workspace)
    if args.json:
        data = [{
            "id": lesson.id, "title": lesson.title, "part": lesson.part,
            "chapter": lesson.chapter, "order": lesson.order,
            "exercises": [{
                "id": ex.id, "title": ex.title, "status": _status(progress.get(ex.key)),
                "path": str(workspace.path(ex)),
            } for ex in lesson.exercises],
        } for lesson in course.lessons]
        json.dump({"lessons": data, "problems": [str(p) for p in course.problems]},
                  sys.stdout, indent=2)
        print()
        return 0
    _report_problems(course, sys.stderr)
    part = None
    for lesson in course.lessons:
        if lesson.part != part:
            part = lesson.part
            print(course.parts.get(part, f"Part {part}"))
        print(f"  {lesson.id:<28} {lesson.title}  [{lesson.chapter}]")
        for ex in lesson.exercises:
            print(f"    {lesson.id}/{ex.id:<28} {_status(progress.get(ex.key)):<14} {ex.title}")
    return 0


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def visible(text: str) -> str:
    """``text`` with control characters (an ANSI escape, a carriage return) written as
    ``\\x1b``: a learner's message cannot move the cursor, colour or erase the output."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


class _Printer:
    """Plain lines when stdout is not a terminal; Rich colours when it is. Messages are
    shown with their control characters made :func:`visible`."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.console = None
        if stream.isatty() and not os.environ.get("NO_COLOR"):
            from rich.console import Console

            self.console = Console(file=stream, highlight=False)

    def line(self, status: str, name: str, message: str = "", seconds: float | None = None) -> None:
        timing = f" ({seconds:.1f} s)" if seconds is not None else ""
        message = visible(message)
        if self.console is None:
            text = f"{status:<13} {name}{timing}"
            if message:
                text += f"  {message}"
            print(text, file=self.stream, flush=True)
            return
        colour = {"PASS": "green", "OK": "green"}.get(status, "red")
        if status == "NOT_ATTEMPTED":
            colour = "yellow"
        from rich.markup import escape

        self.console.print(f"[bold {colour}]{status:<13}[/] {escape(name)}[dim]{timing}[/]"
                           + (f"  {escape(message)}" if message else ""))


def _jobs_count(requested: int) -> int:
    return requested if requested > 0 else max(1, os.cpu_count() or 1)


def _threads(parallel: int, cores: int | None = None) -> int:
    """CPU threads per run: the cores less one (as in the app), shared between parallel runs.

    Oversubscribing hurts far more than it helps: OpenMP code (t-SNE, some BLAS) spins on a
    busy core, and one extra thread per run can make a check several times slower.
    """
    cores = cores or os.cpu_count() or 1
    return max(1, (cores - 1) // max(1, parallel))


def cmd_check(args: argparse.Namespace) -> int:
    from homl_tui import grading
    from homl_tui.store import Workspace
    from homl_tui.store.db import chosen_device

    course = _course(args)
    _report_problems(course, sys.stderr)
    exercises = _select(course, args.target)
    if not exercises:
        raise UsageError("no exercises to check")
    parallel = _jobs_count(args.jobs)
    data_dir = course.data_dir
    store = None
    jobs = []
    if args.solutions:
        for ex in exercises:
            jobs.append(grading.Job(ex, "solution", grading.spec_for(
                ex, ex.solution, data_dir=data_dir, device=args.device or "auto",
                threads=_threads(parallel))))
    else:
        paths = data_paths(args.data_dir)
        workspace = Workspace(paths.workspace)
        store = _open_store(args, sys.stderr)
        for ex in exercises:
            try:
                target = workspace.ensure(ex)
            except OSError as exc:
                print(f"warning: cannot create {workspace.path(ex)}: {exc}", file=sys.stderr)
                target = ex.starter
            jobs.append(grading.Job(ex, "workspace", grading.spec_for(
                ex, target, data_dir=data_dir, device=chosen_device(args.device, store),
                threads=_threads(parallel))))
    printer = _Printer(sys.stdout)

    reported: list[grading.Job] = []

    def done(job: grading.Job) -> None:
        reported.append(job)
        result = job.result
        assert result is not None and result.outcome is not None
        if store is not None:  # first: a result is saved even if it cannot be printed
            try:
                store.record_attempt(job.exercise.key, result.outcome.value, result.message,
                                     grading.code_hash(Path(job.spec.target)), result.duration_s)
            except Exception as exc:  # noqa: BLE001 - progress is best effort, results still print
                print(f"note: progress not saved: {exc}", file=sys.stderr)
        printer.line(result.outcome.value, job.exercise.key,
                     "" if result.passed else result.message, result.duration_s)
        if result.details and not result.passed and not args.solutions:
            for line in result.details.splitlines():
                print(f"    {visible(line)}", file=sys.stdout)

    try:
        grading.run_jobs(jobs, parallel, done)
    except KeyboardInterrupt:
        passed = sum(1 for job in reported if job.result and job.result.passed)
        with contextlib.suppress(OSError, ValueError):
            print(f"{passed} passed, {len(reported) - passed} failed, "
                  f"{len(jobs) - len(reported)} not finished", flush=True)
        raise
    passed = sum(1 for job in jobs if job.result and job.result.passed)
    failed = len(jobs) - passed
    print(f"{passed} passed, {failed} failed", flush=True)
    if args.junit_xml:
        from homl_tui.junit import write_junit

        write_junit(Path(args.junit_xml), "homl-tui check", jobs)
    return 0 if failed == 0 else 1


def cmd_lint(args: argparse.Namespace) -> int:
    from homl_tui import grading

    course = _course(args)
    exercises = _select(course, args.target)
    lesson_ids = {ex.lesson_id for ex in exercises}
    # Linting one lesson counts that lesson's problems; the others' are only mentioned.
    dirs = [lesson.directory.resolve() for lesson in course.lessons if lesson.id in lesson_ids]
    findings: list[grading.LintFinding] = []
    for p in course.problems:
        mine = not args.target or any(Path(p.path).resolve().is_relative_to(d) for d in dirs)
        if mine:
            findings.append(grading.LintFinding(
                str(p.path), f"[{p.field}] {p.message}" if p.field else p.message))
        else:
            print(f"warning: another lesson has a problem: {p}", file=sys.stderr)
    for lesson in course.lessons:
        if lesson.id in lesson_ids or not args.target:
            findings.extend(grading.static_lint(lesson))
    parallel = _jobs_count(args.jobs)
    jobs = grading.lint_jobs(exercises, course.data_dir, _threads(parallel))
    printer = _Printer(sys.stdout)

    def done(job: grading.Job) -> None:
        finding = grading.judge_lint_job(job)
        assert job.result is not None
        outcome = job.result.outcome.value if job.result.outcome else "?"
        if finding:
            findings.append(finding)
            printer.line("BAD", f"{job.exercise.key} {job.role}", finding.message,
                         job.result.duration_s)
        else:
            printer.line("OK", f"{job.exercise.key} {job.role} -> {outcome}",
                         job.result.message if args.verbose else "", job.result.duration_s)

    if args.isolated:
        grading.run_jobs(jobs, parallel, done)
    else:
        grading.run_jobs_forked(jobs, parallel, done)
    for finding in findings:
        print(f"problem: {finding.where}: {finding.message}", file=sys.stderr)
    good = len(jobs) - sum(1 for j in jobs if grading.judge_lint_job(j))
    print(f"{good} passed, {len(findings)} failed", flush=True)
    if args.junit_xml:
        from homl_tui.junit import write_junit

        write_junit(Path(args.junit_xml), "homl-tui lint", jobs, grading.judge_lint_job)
    return 0 if not findings else 1


def cmd_run(args: argparse.Namespace) -> int:
    """Run a file detached and follow it (Ctrl-C stops it); without a store, in-process."""
    import sqlite3

    from homl_tui import grading, runs_cli
    from homl_tui.runtime.detached import start_detached
    from homl_tui.store import Workspace
    from homl_tui.store.db import chosen_device

    course = _course(args)
    exercises = _select(course, args.target)
    if len(exercises) != 1:
        raise UsageError("name one exercise as LESSON/EXERCISE")
    ex = exercises[0]
    paths = data_paths(args.data_dir)
    why: list[str] = []
    store = _open_store(args, io.StringIO() if args.detach else sys.stderr, why)
    if store is None and args.detach:
        raise UsageError(f"--detach needs to record the run in {paths.root}: "
                         f"{why[0].rstrip('.')}. Run without --detach, or choose another data "
                         "folder with --data-dir.")
    workspace = Workspace(paths.workspace)
    try:
        target = ex.solution if args.solution else workspace.ensure(ex)
    except OSError as exc:
        raise UsageError(f"cannot create your exercise file {workspace.path(ex)}: "
                         f"{exc.strerror or exc}") from None
    spec = grading.spec_for(ex, target, "run", data_dir=course.data_dir,
                            device=chosen_device(args.device, store),
                            checkpoint_dir=paths.checkpoint_dir(ex.lesson_id, ex.id))
    if store is None:
        return _run_in_process(spec)
    try:
        run_id, _ = start_detached(store, ex.key, spec,
                                   kind="reference" if args.solution else "learner",
                                   code_hash=grading.code_hash(target), log_dir=paths.runs)
    except sqlite3.Error as exc:
        raise UsageError(f"cannot record the run in {paths.db}: {exc}") from None
    if args.detach:
        print(f"run #{run_id} started: `homl-tui runs follow {run_id}` to watch it, "
              f"`homl-tui runs stop {run_id}` to stop it")
        return 0
    return runs_cli.follow(store, run_id)


def _run_in_process(spec) -> int:
    from homl_tui import grading

    def show(event: Event) -> None:
        if event["kind"] in ("stdout", "stderr"):
            stream = sys.stdout if event["kind"] == "stdout" else sys.stderr
            stream.write(event["text"])
            stream.flush()

    result = grading.run_spec(spec, show)
    values = " ".join(f"{k}={v:.4g}" for k, v in result.last_metrics.items())
    if values:
        print(f"[last] {values}")
    print(f"{result.status}: {result.message} ({result.duration_s:.1f} s)", file=sys.stderr)
    return 0 if result.status == "ok" else 1


def cmd_runs(args: argparse.Namespace) -> int:
    from homl_tui import runs_cli

    store = _open_store(args, sys.stderr)
    if store is None:
        return 1
    try:
        return runs_cli.cmd_runs(args, store)
    finally:
        store.close()


def cmd_data(args: argparse.Namespace) -> int:
    """``homl-tui data``: what is cached; ``homl-tui data fetch [NAME...]``: download ahead of time."""
    from homl_tui import datasets

    names = args.names or list(datasets.REGISTRY)
    unknown = [n for n in names if n not in datasets.REGISTRY]
    if unknown:
        raise UsageError(
            f"unknown dataset {', '.join(unknown)} (known: {', '.join(datasets.REGISTRY)})"
        )
    if args.action == "list":
        print(f"offline  districts            {datasets.project_data_dir() / 'districts'}")
        print(f"cache folder: {datasets.cache_dir()}")
        for name in names:
            remote = datasets.REGISTRY[name]
            cached = (datasets.cache_dir() / remote.filename).exists()
            state = "cached " if cached else "not yet"
            print(f"{state}  {name:<20} {remote.description}; {remote.license}")
        return 0
    failed = 0
    for name in names:
        try:
            path, how = datasets.fetch(datasets.REGISTRY[name], progress=True)
        except datasets.DownloadError as exc:
            failed += 1
            print(f"{name}: {exc} (the lessons use their offline data instead)", file=sys.stderr)
            continue
        print(f"{name}: {'already cached' if how == 'cache' else 'downloaded'} ({path})")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.data_dir:
        os.environ["HOML_TUI_HOME"] = str(Path(args.data_dir).expanduser().resolve())
    if args.command is not None:  # headless (the app handles its own signals and terminal)
        _tolerant_output()
        if threading.current_thread() is threading.main_thread():
            _stop_on(STOP_SIGNALS.get(args.command, DEFAULT_STOP_SIGNALS))
    commands = {"list": cmd_list, "check": cmd_check, "lint": cmd_lint, "run": cmd_run,
                "runs": cmd_runs, "data": cmd_data}
    try:
        if args.command is None:
            from homl_tui.ui.launch import launch

            return launch(args)
        status = commands[args.command](args)
        sys.stdout.flush()  # here, where a closed pipe is handled, not at exit
        return status
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Stopped as exc:
        _say(f"stopped: {exc.name}")
        return 128 + exc.signum
    except KeyboardInterrupt:
        _say("interrupted")
        return 130
    except BrokenPipeError:  # stdout was a pipe whose reader went away (`| head -1`)
        _drop_stdout()
        return 128 + signal.SIGPIPE
