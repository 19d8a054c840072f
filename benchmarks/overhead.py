"""Overhead: training samples/s of the same loop under homl-tui vs the bare script.

The loop is benchmarks/lessons/01_bench/exercises/mlp/solution.py: an MLP on random data,
CPU, batch 64, ``--steps`` steps, ``report.metric(step=..., loss=...)`` every step and
``report.progress`` every epoch. It measures its own samples/s after a warm-up (process start
and imports are excluded) and prints it.

* bare: ``python solution.py`` (``report`` is a no-op there);
* homl-tui: the app's path without the drawing: :func:`homl_tui.runtime.detached.start_detached`
  starts the supervisor, which starts the worker and records the events into SQLite about ten
  times a second, while a :class:`~homl_tui.runtime.detached.Follower` in this process reads
  them back at 10 Hz like the lesson screen does.

Both get the same thread cap (``runtime.runner.default_threads()``: every core but one) through
the same environment (``OMP_NUM_THREADS`` and friends; the script sets torch's threads from it).
Runs alternate (bare, homl, bare, homl, ...) after one warm-up each; medians are compared.

    python benchmarks/overhead.py [--runs 5] [--steps 3000]

Last line: ``overhead_ratio: R (target: >= 0.95)``, R = homl samples/s / bare samples/s.
The machine is shared: figures vary from run to run with other people's work.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from homl_tui.course import load_course  # noqa: E402
from homl_tui.grading import spec_for  # noqa: E402
from homl_tui.runtime.detached import Follower, start_detached  # noqa: E402
from homl_tui.runtime.procfs import cpu_seconds  # noqa: E402
from homl_tui.runtime.runner import child_environment, default_threads  # noqa: E402
from homl_tui.store import Store  # noqa: E402

LESSONS = ROOT / "benchmarks" / "lessons"
EXERCISE = "bench/mlp"
RATE = re.compile(r"^samples_per_s: ([\d.]+)", re.MULTILINE)
CPU_RATE = re.compile(r"^cpu_samples_per_s: ([\d.]+)", re.MULTILINE)
POLL_S = 0.1


def samples_per_s(output: str, where: str) -> tuple[float, float]:
    """(samples/s, samples per CPU second) as the script printed them."""
    wall, cpu = RATE.search(output), CPU_RATE.search(output)
    if wall is None or cpu is None:
        raise RuntimeError(f"the {where} run printed no samples_per_s:\n{output[-2000:]}")
    return float(wall.group(1)), float(cpu.group(1))


def bare(script: Path, threads: int, steps: int) -> tuple[float, float]:
    """``python script`` with the thread cap of a run; its (samples/s, per CPU second)."""
    env = {**child_environment(threads), "HOML_BENCH_STEPS": str(steps)}
    done = subprocess.run([sys.executable, str(script)], env=env, cwd=script.parent,
                          capture_output=True, text=True, timeout=300, check=False)
    return samples_per_s(done.stdout + done.stderr, "bare")


@dataclass
class HomlRun:
    """What one run under homl-tui measured (CPU and wall times in seconds)."""

    rate: float
    cpu_rate: float
    points: int
    slowest_poll: float
    wall: float
    supervisor_cpu: float | None
    follower_cpu: float


def homl(store: Store, exercise: object, script: Path, threads: int, steps: int) -> HomlRun:
    """The script as a detached run, followed at 10 Hz like the lesson screen does."""
    spec = spec_for(exercise, script, "run", threads=threads)  # type: ignore[arg-type]
    spec.env["HOML_BENCH_STEPS"] = str(steps)
    started = time.perf_counter()
    run_id, process = start_detached(store, EXERCISE, spec)
    follower = Follower(store, run_id, process)
    points, slowest, follower_cpu, supervisor_cpu = 0, 0.0, 0.0, None
    while True:
        supervisor_cpu = cpu_seconds(process.pid) or supervisor_cpu
        polled, cpu = time.perf_counter(), time.process_time()
        batch = follower.poll()
        follower_cpu += time.process_time() - cpu
        slowest = max(slowest, time.perf_counter() - polled)
        points += len(batch.metrics)
        if batch.end is not None:
            break
        time.sleep(POLL_S)
    wall = time.perf_counter() - started
    process.wait(timeout=30)
    if batch.end.get("status") != "ok":
        raise RuntimeError(f"the homl-tui run ended {batch.end}")
    output = "".join(text for _, text in store.runs.output(run_id))
    rate, cpu_rate = samples_per_s(output, "homl-tui")
    return HomlRun(rate, cpu_rate, points, slowest, wall, supervisor_cpu, follower_cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--steps", type=int, default=3000)
    args = parser.parse_args()
    course = load_course(LESSONS)
    lesson_id, _, exercise_id = EXERCISE.partition("/")
    lesson = course.lesson(lesson_id)
    exercise = lesson.exercise(exercise_id) if lesson else None
    if exercise is None:
        raise SystemExit(f"{EXERCISE} is missing from {LESSONS}")
    script = exercise.solution
    threads = default_threads()
    with tempfile.TemporaryDirectory() as home:
        store = Store(Path(home) / "homl.db")
        bare(script, threads, min(args.steps, 300))  # warm-up: OS caches, the store
        homl(store, exercise, script, threads, min(args.steps, 300))
        bares: list[tuple[float, float]] = []
        runs: list[HomlRun] = []
        for _ in range(args.runs):
            bares.append(bare(script, threads, args.steps))
            runs.append(homl(store, exercise, script, threads, args.steps))
            if runs[-1].points != args.steps:
                print(f"WARNING: {runs[-1].points} of {args.steps} loss points were read back")
        store.close()
    bare_rates, homls = [rate for rate, _ in bares], [run.rate for run in runs]
    b, h = statistics.median(bare_rates), statistics.median(homls)
    pairs = statistics.median(run.rate / rate for run, rate in zip(runs, bare_rates, strict=True))
    cpu = (statistics.median(run.cpu_rate for run in runs)
           / statistics.median(cpu_rate for _, cpu_rate in bares))
    print(f"{threads} training thread(s), {args.steps} steps of batch 64, {args.runs} runs each")
    for name, median, rates in (("bare script", b, bare_rates), ("homl-tui   ", h, homls)):
        print(f"{name}: median {median:,.0f} samples/s  "
              f"(runs: {', '.join(f'{r:,.0f}' for r in rates)})")
    print(f"best run each: ratio {max(homls) / max(bare_rates):.3f}; median of the pair ratios "
          f"{pairs:.3f}; per CPU second of the training process: ratio {cpu:.3f}")
    supervisor = [run.supervisor_cpu / run.wall for run in runs if run.supervisor_cpu]
    if supervisor:
        print(f"supervisor: median {statistics.median(supervisor):.1%} of a core over the run "
              "(start-up included)")
    print(f"follower (this process): median "
          f"{statistics.median(run.follower_cpu / run.wall for run in runs):.1%} of a core; "
          f"slowest poll {max(run.slowest_poll for run in runs) * 1000:.1f} ms")
    read_back = all(run.points == args.steps for run in runs)
    print("every loss point was read back" if read_back else "SOME loss points were NOT read back")
    print(f"overhead_ratio: {h / b:.3f} (target: >= 0.95)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
