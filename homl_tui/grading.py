"""Check exercises and lint lessons, headless. Used by the CLI (and by the UI for specs).

Imports no UI and no ML library: every exercise runs in its own child process.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from homl_tui.course.model import Exercise, Lesson
from homl_tui.outcome import Outcome
from homl_tui.runtime.events import Event
from homl_tui.runtime.runner import Run, RunResult, child_environment, default_threads
from homl_tui.runtime.spec import RunSpec

MIN_MUTANTS = 2
STOP_WAIT_S = 5.0  # how long an interrupted batch waits for its cancelled runs to end


def code_hash(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError:
        return ""


def spec_for(
    exercise: Exercise,
    target: Path,
    mode: str = "check",
    *,
    data_dir: Path | None = None,
    strict: bool = False,
    device: str = "auto",
    threads: int | None = None,
    timeout_s: float | None = None,
    checkpoint_dir: Path | None = None,
    resume_file: str | None = None,
) -> RunSpec:
    """The run spec for ``exercise`` on the file ``target`` (learner draft, solution, mutant).

    A check gets the exercise's time budget; the learner's own run (``run``) gets the longer
    ``run_timeout_s``, may checkpoint into ``checkpoint_dir`` and resume from ``resume_file``.
    """
    if timeout_s is None:
        timeout_s = exercise.budget.timeout_s if mode == "check" else exercise.budget.run_timeout_s
    return RunSpec(
        mode=mode,
        target=str(target.resolve()),
        exercise_dir=str(exercise.directory.resolve()),
        data_dir=str(data_dir.resolve()) if data_dir else None,
        strict=strict,
        seed=exercise.seed,
        frameworks=list(exercise.frameworks),
        device=device,
        timeout_s=timeout_s,
        memory_mb=exercise.budget.memory_mb,
        threads=threads or default_threads(),
        label=exercise.key,
        checkpoint_dir=str(checkpoint_dir) if checkpoint_dir and mode == "run" else None,
        resume_file=resume_file if mode == "run" else None,
    )


def run_spec(spec: RunSpec, on_event: Callable[[Event], None] | None = None) -> RunResult:
    """Run one spec to completion."""
    return Run(spec).start().wait(on_event)


@dataclass
class Job:
    """One thing to run in a batch, and what came of it (``result`` stays ``None`` for a job
    that never ran because the batch was interrupted first)."""

    exercise: Exercise
    role: str  # workspace, solution, starter, mutant:<name>
    spec: RunSpec
    result: RunResult | None = None


class _Runs:
    """The runs of one batch still going, so that an interrupted batch can end them all.

    Once :meth:`stop_all` was called, no new run starts.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active: set[Run] = set()
        self._stopping = False

    def run(self, spec: RunSpec) -> RunResult | None:
        """Run ``spec`` to completion; ``None`` if the batch is stopping and it did not start."""
        with self._lock:
            if self._stopping:
                return None
            run = Run(spec).start()
            self._active.add(run)
        result = run.wait()  # interrupted: the run stays listed, for stop_all to end it
        with self._lock:
            self._active.discard(run)
        return result

    def stop_all(self, wait_s: float = STOP_WAIT_S) -> None:
        """Cancel every run still going (process groups ended, stragglers killed) and wait
        until each one's processes are gone, ``wait_s`` at most."""
        with self._lock:
            self._stopping = True
            runs = list(self._active)
        for run in runs:
            run.cancel()
        deadline = time.monotonic() + wait_s
        while any(not run.done for run in runs) and time.monotonic() < deadline:
            with contextlib.suppress(KeyboardInterrupt):  # a second Ctrl-C: keep stopping
                time.sleep(0.02)


def run_jobs(jobs: Sequence[Job], parallel: int = 1,
             on_done: Callable[[Job], None] | None = None) -> None:
    """Run jobs, ``parallel`` at a time (each in its own process); ``on_done`` per finished job.

    If anything interrupts the batch (Ctrl-C, a termination signal turned into an exception,
    ``on_done`` raising because stdout went away), the runs still going are cancelled and
    their processes ended before the exception goes on; jobs not started keep no result.
    """
    runs = _Runs()

    def one(job: Job) -> Job:
        job.result = runs.run(job.spec)
        return job

    pool = ThreadPoolExecutor(max_workers=parallel) if parallel > 1 else None
    try:
        finished = pool.map(one, jobs) if pool is not None else map(one, jobs)
        for job in finished:
            if on_done and job.result is not None:
                on_done(job)
    except BaseException:
        runs.stop_all()
        raise
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _batch_result(raw: dict) -> RunResult:
    return RunResult(
        status=str(raw.get("status", "error")),
        outcome=Outcome.parse(raw.get("outcome")),
        message=str(raw.get("message", "")),
        details=str(raw.get("details", "")),
        duration_s=float(raw.get("duration_s", 0.0)),
    )


def run_jobs_forked(jobs: Sequence[Job], parallel: int = 1,
                    on_done: Callable[[Job], None] | None = None) -> None:
    """Like :func:`run_jobs`, for trusted code (lint): ``parallel`` fork servers
    (:mod:`homl_tui.runtime.forkbatch`) import the frameworks once and fork a child per job.

    Jobs are dealt out by lesson so that each server imports what its lessons need. An
    interrupted batch kills its servers (their children follow: a worker ends itself when
    its parent goes) and reports nothing more.
    """
    if not jobs:
        return
    parallel = max(1, min(parallel, len(jobs)))
    batches: list[list[Job]] = [[] for _ in range(parallel)]
    for index, job in enumerate(sorted(jobs, key=lambda j: (j.exercise.lesson_id, j.exercise.id))):
        batches[index * parallel // len(jobs)].append(job)
    lock = threading.Lock()
    servers: list[subprocess.Popen[str]] = []
    stopping = threading.Event()

    def report(job: Job) -> None:
        with lock:
            if on_done and not stopping.is_set():
                on_done(job)

    def serve(batch: list[Job]) -> None:
        with lock:
            if stopping.is_set():
                return
            proc = subprocess.Popen(  # its own session: a signal to our group is ours to handle
                [sys.executable, "-m", "homl_tui.runtime.forkbatch"], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                env=child_environment(batch[0].spec.threads), text=True, start_new_session=True,
            )
            servers.append(proc)
        assert proc.stdin is not None and proc.stdout is not None
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.write(json.dumps([asdict(job.spec) for job in batch]))
            proc.stdin.close()
        for line in proc.stdout:
            try:
                raw = json.loads(line)
                job = batch[int(raw["index"])]
            except (ValueError, KeyError, IndexError, TypeError):
                continue
            job.result = _batch_result(raw)
            report(job)
        proc.wait()
        for job in batch:
            if job.result is None and not stopping.is_set():
                job.result = RunResult("crashed", Outcome.ERROR,
                                       f"the batch runner stopped (exit {proc.returncode}) "
                                       "before this job ran", duration_s=0.0)
                report(job)

    pool = ThreadPoolExecutor(max_workers=parallel)
    try:
        for _ in pool.map(serve, batches):
            pass
    except BaseException:
        with lock:
            stopping.set()
        for proc in servers:
            with contextlib.suppress(OSError):
                proc.kill()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@dataclass
class LintFinding:
    """A problem found by lint."""

    where: str
    message: str


@dataclass
class LintReport:
    findings: list[LintFinding] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


def static_lint(lesson: Lesson) -> list[LintFinding]:
    """Checks that need no run: exercises placed in the text, enough mutants."""
    findings = []
    refs = lesson.referenced_exercises()
    ids = [e.id for e in lesson.exercises]
    for ref in refs:
        if ref not in ids:
            findings.append(LintFinding(lesson.id, f"text places unknown exercise {ref!r}"))
    for ex_id in ids:
        if refs.count(ex_id) != 1:
            findings.append(LintFinding(f"{lesson.id}/{ex_id}",
                                        f"must be placed exactly once in the text with "
                                        f"'::: exercise {ex_id}' (found {refs.count(ex_id)})"))
    for exercise in lesson.exercises:
        if len(exercise.mutants) < MIN_MUTANTS:
            findings.append(LintFinding(exercise.key, f"needs at least {MIN_MUTANTS} mutants, "
                                        f"has {len(exercise.mutants)}"))
        if "TODO" not in exercise.starter.read_text(encoding="utf-8"):
            findings.append(LintFinding(exercise.key, "starter.py has no TODO for the learner"))
    return findings


def lint_jobs(exercises: Sequence[Exercise], data_dir: Path | None, threads: int) -> list[Job]:
    jobs = []
    for ex in exercises:
        kw = dict(data_dir=data_dir, strict=True, threads=threads)
        jobs.append(Job(ex, "solution", spec_for(ex, ex.solution, **kw)))
        jobs.append(Job(ex, "starter", spec_for(ex, ex.starter, **kw)))
        for mutant in ex.mutants:
            jobs.append(Job(ex, f"mutant:{mutant.name}", spec_for(ex, mutant.path, **kw)))
    return jobs


def judge_lint_job(job: Job) -> LintFinding | None:
    """Whether a lint job came out as it must; a finding if not."""
    assert job.result is not None
    outcome, message = job.result.outcome, job.result.message
    where = f"{job.exercise.key} ({job.role})"
    if job.role == "solution":
        if outcome is not Outcome.PASS:
            return LintFinding(where, f"reference solution must PASS, got {outcome.value if outcome else None}: {message}")
    elif job.role == "starter":
        if outcome not in (Outcome.FAIL, Outcome.NOT_ATTEMPTED):
            return LintFinding(where, f"starter must FAIL or be NOT_ATTEMPTED, got "
                                      f"{outcome.value if outcome else None}: {message}")
    else:
        name = job.role.split(":", 1)[1]
        mutant = next(m for m in job.exercise.mutants if m.name == name)
        if outcome is not Outcome.FAIL:
            return LintFinding(where, f"mutant must FAIL, got {outcome.value if outcome else None}: {message}")
        if mutant.expect.lower() not in message.lower():
            return LintFinding(where, f"mutant's message should contain {mutant.expect!r}, "
                                      f"got: {message}")
    return None
