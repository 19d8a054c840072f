"""Whole-course check time: every reference solution checked as CI does, two runs at a time.

Runs ``homl-tui check --solutions -j 2`` over the whole course (its lines show as
they come), then prints per part of the course how many solutions passed, the run
time they took (summed over runs, so it can exceed the wall time) and the slowest
exercises.

    python benchmarks/course.py [--jobs 2]

It keeps the cores busy for minutes: a script to run by hand, not part of the tests.
Exit status: 1 if any solution did not pass. Last line:
``course_check_wall: M min (target: <= 10 min)``: the wall-clock time of the check.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SLOWEST = 5


@dataclass(frozen=True)
class Case:
    """One checked solution from the JUnit report."""

    lesson: str
    name: str
    seconds: float
    passed: bool


def read_junit(path: Path) -> list[Case]:
    """The test cases of a ``homl-tui check --junit-xml`` report."""
    cases = []
    for suite in ET.parse(path).getroot():
        for case in suite:
            failed = case.find("failure") is not None or case.find("error") is not None
            cases.append(Case(suite.get("name", ""), case.get("name", ""),
                              float(case.get("time", "0")), not failed))
    return cases


def part_titles() -> tuple[dict[str, int], dict[int, str]]:
    """The part of each lesson, and the parts' titles."""
    sys.path.insert(0, str(ROOT))
    from homl_tui.course import load_course
    from homl_tui.paths import default_lessons_dir

    course = load_course(default_lessons_dir())
    return {lesson.id: lesson.part for lesson in course.lessons}, course.parts


def report(cases: list[Case]) -> None:
    part_of, titles = part_titles()
    print()
    for part in sorted({part_of.get(c.lesson, 0) for c in cases}):
        mine = [c for c in cases if part_of.get(c.lesson, 0) == part]
        passed = sum(c.passed for c in mine)
        seconds = sum(c.seconds for c in mine)
        title = titles.get(part, f"Part {part}")
        print(f"{title}\n  {len(mine)} solutions, {passed} passed, {seconds:.1f} s of runs")
    print(f"Slowest {SLOWEST}:")
    for case in sorted(cases, key=lambda c: -c.seconds)[:SLOWEST]:
        print(f"  {case.seconds:6.1f} s  {case.lesson}/{case.name}")
    for case in cases:
        if not case.passed:
            print(f"FAILED: {case.lesson}/{case.name}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", "-j", type=int, default=2, help="runs at a time (default: 2)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        junit = Path(tmp) / "check.xml"
        command = [sys.executable, "-m", "homl_tui", "--data-dir", str(Path(tmp) / "data"),
                   "check", "--solutions", "-j", str(args.jobs), "--junit-xml", str(junit)]
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, check=False)
        wall = time.perf_counter() - start
        cases = read_junit(junit) if junit.is_file() else []
    if cases:
        report(cases)
    else:
        print("no JUnit report: the check did not run to its end")
    failed = done.returncode != 0 or not cases or not all(c.passed for c in cases)
    print(f"course_check_wall: {wall / 60:.1f} min (target: <= 10 min)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
