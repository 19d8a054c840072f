"""Faults in the learner's code: each is checked headless (``homl-tui check``, a real
subprocess, real child processes) and ends with one outcome and a message in plain words.

The exercise is the fixture lesson's ``demo/add`` with a small budget (3 s, 300 MB). The app
shows the very message the runner produced: the last test checks it in a real Textual pilot
for several of these faults, and that a flood of output leaves the app responsive.
"""

from __future__ import annotations

import os
import re
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import (
    DEMO_LESSON,
    dedent,
    make_spec,
    process_gone,
    run_check,
    stop_active_runs,
    wait_until,
)
from test_cli import cli

from homl_tui.outcome import Outcome
from homl_tui.runtime.runner import Run

TIMEOUT_S = 3
MEMORY_MB = 300


@pytest.fixture
def lessons(tmp_path: Path) -> Path:
    """The demo lesson, with a budget of 3 s and 300 MB for a check and 8 s for a run."""
    root = tmp_path / "lessons"
    shutil.copytree(DEMO_LESSON, root / "01_demo")
    manifest = root / "01_demo" / "lesson.toml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace("timeout_s = 20", f"timeout_s = {TIMEOUT_S}\nrun_timeout_s = 8")
    text = text.replace("memory_mb = 1024", f"memory_mb = {MEMORY_MB}")
    manifest.write_text(text, encoding="utf-8")
    return root


@dataclass
class Verdict:
    """One ``homl-tui check`` as the learner reads it."""

    outcome: str
    message: str
    details: str
    seconds: float
    returncode: int

    def __str__(self) -> str:
        return f"{self.outcome}: {self.message}"


def check_headless(tmp_path: Path, lessons: Path, source: str, timeout: float = 60) -> Verdict:
    """Write ``source`` as the learner's ``demo/add`` and run ``homl-tui check demo/add``."""
    data = tmp_path / "data"
    learner = data / "workspace" / "demo" / "add.py"
    learner.parent.mkdir(parents=True, exist_ok=True)
    learner.write_text(dedent(source), encoding="utf-8")
    proc = cli("check", "demo/add", lessons=lessons, data_dir=data, timeout=timeout)
    first, *rest = proc.stdout.splitlines()
    match = re.fullmatch(r"(\S+) +demo/add \(([\d.]+) s\)(?:  (.*))?", first)
    assert match, proc.stdout + proc.stderr
    details = "\n".join(line[4:] for line in rest if line.startswith("    "))
    assert rest[-1] == ("1 passed, 0 failed" if match[1] == "PASS" else "0 passed, 1 failed")
    return Verdict(match[1], match[3] or "", details, float(match[2]), proc.returncode)


def processes_with(marker: str) -> list[int]:
    """PIDs of live processes whose command line contains ``marker`` (read from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or process_gone(int(entry)):
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                if marker.encode() in fh.read():
                    found.append(int(entry))
        except OSError:
            continue
    return found


def escaping_children(pid_file: Path, marker: str) -> str:
    """Learner code that starts three processes meant to outlive it: a plain child, a child in
    a session of its own and a double-forked daemon; their PIDs go to ``pid_file``."""
    sleeper = f"import time; time.sleep(300)  # {marker}"
    return f"""
        import os, subprocess, sys, time

        pids = [subprocess.Popen([sys.executable, "-c", {sleeper!r}]).pid,
                subprocess.Popen([sys.executable, "-c", {sleeper!r}],
                                 start_new_session=True).pid]
        reader, writer = os.pipe()
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                os.execv(sys.executable, [sys.executable, "-c", {sleeper!r}])
            os.write(writer, b"started")
            os._exit(0)
        os.read(reader, 16)


        def daemon():
            for entry in os.listdir("/proc"):
                try:
                    with open(f"/proc/{{entry}}/cmdline", "rb") as fh:
                        if {marker!r}.encode() in fh.read() and int(entry) not in pids:
                            return int(entry)
                except (OSError, ValueError):
                    continue


        while len(pids) < 3:
            pids += [pid for pid in [daemon()] if pid]
        open({str(pid_file)!r}, "w").write(" ".join(map(str, pids)))
    """


# ------------------------------------------------------------------- runaway code


@pytest.mark.fault("Learner code", "an infinite loop")
def test_an_infinite_loop_is_stopped_at_the_time_limit(tmp_path, lessons, seen):
    verdict = check_headless(tmp_path, lessons, """
        def add(a, b):
            while True:
                pass
    """)
    assert verdict.outcome == "TIMEOUT" and verdict.returncode == 1
    assert verdict.message.startswith(f"Stopped after {TIMEOUT_S} s, the time limit")
    assert "Look for a loop that never ends" in verdict.message
    assert TIMEOUT_S <= verdict.seconds < TIMEOUT_S + 3
    seen(str(verdict))


@pytest.mark.fault("Learner code", "sleeping forever")
def test_sleeping_forever_is_stopped_and_called_waiting(tmp_path, lessons, seen):
    verdict = check_headless(tmp_path, lessons, """
        import time

        time.sleep(10**6)
    """)
    assert verdict.outcome == "TIMEOUT"
    assert verdict.message.startswith(f"Stopped after {TIMEOUT_S} s")
    assert "waiting, not computing" in verdict.message and "time.sleep" in verdict.message
    seen(str(verdict))


@pytest.mark.fault("Learner code", "a memory hog")
def test_a_memory_hog_is_stopped_by_the_watchdog_long_before_it_grows(tmp_path, lessons, seen):
    verdict = check_headless(tmp_path, lessons, """
        hoard = []
        for _ in range(128):  # 8 GB if nothing stops it
            hoard.append(bytearray(64 << 20))
    """)
    assert verdict.outcome == "ERROR"
    assert verdict.message.startswith(f"Stopped: the run used more than {MEMORY_MB} MB of memory")
    assert "data that grows without bound" in verdict.message
    peak = int(re.search(r"peak seen (\d+) MB", verdict.message)[1])
    assert MEMORY_MB <= peak < 1536  # stopped within a fraction of a second of the limit
    assert verdict.seconds < TIMEOUT_S  # by the watchdog, not by the clock
    seen(str(verdict))


@pytest.mark.fault("Learner code", "flooding stdout with gigabytes")
def test_a_gigabyte_of_output_is_capped_and_the_check_still_passes(tmp_path, seen):
    started = time.monotonic()
    checked = run_check(tmp_path, """
        import sys

        line = "x" * (1 << 20) + "\\n"
        for _ in range(1024):
            sys.stdout.write(line)


        def double(x):
            return 2 * x
    """, output_limit=1 << 20, timeout_s=30)
    elapsed = time.monotonic() - started
    assert checked.result.outcome is Outcome.PASS, checked.result.message
    shown = len(checked.text("stdout").encode())
    assert shown <= 1 << 20
    sent = 1024 * ((1 << 20) + 1)  # 1024 lines of 1 MiB and a newline
    assert checked.result.output_dropped >= sent - (1 << 20)  # at most output_limit is kept
    assert shown + checked.result.output_dropped == sent
    notice = checked.text("stderr").strip()
    assert re.fullmatch(r"\[output truncated: [\d,]+ more bytes were not shown\]", notice)
    assert elapsed < 20
    seen(f"PASS after printing 1 GB in {elapsed:.0f} s; the output shows the first 1 MB, "
         f"then {notice}")


@pytest.mark.fault("Learner code", "flooding stdout forever")
def test_endless_output_is_capped_and_stopped_at_the_time_limit(tmp_path, lessons, seen):
    verdict = check_headless(tmp_path, lessons, """
        import sys

        line = "spam " * 200_000
        while True:
            sys.stdout.write(line)
    """)
    assert verdict.outcome == "TIMEOUT"
    assert verdict.message.startswith(f"Stopped after {TIMEOUT_S} s")
    assert re.search(r"It printed [\d.]+ [MG]B of output on the way \(only the first "
                     r"1\.0 MB is shown\)", verdict.message)
    seen(str(verdict))


# ------------------------------------------------------------------ crashes, exits


@pytest.mark.fault("Learner code", "a segfault (ctypes)")
def test_a_segfault_is_a_crash_named_in_plain_words(tmp_path, lessons, seen):
    verdict = check_headless(tmp_path, lessons, """
        import ctypes

        ctypes.string_at(0)
    """)
    assert verdict.outcome == "ERROR"
    assert verdict.message == ("The Python process running your code crashed with SIGSEGV "
                               "(a segmentation fault).")
    seen(str(verdict))


@pytest.mark.fault("Learner code", "os._exit")
def test_os_exit_says_the_process_ended_before_the_check(tmp_path, lessons, seen):
    verdict = check_headless(tmp_path, lessons, """
        import os


        def add(a, b):
            os._exit(0)
    """)
    assert verdict.outcome == "ERROR"
    assert "ended the process (exit status 0) before the check finished" in verdict.message
    assert "os._exit()" in verdict.message
    seen(str(verdict))


@pytest.mark.fault("Learner code", "sys.exit")
def test_sys_exit_is_named_with_its_line(tmp_path, lessons, seen):
    verdict = check_headless(tmp_path, lessons, """
        import sys


        def add(a, b):
            sys.exit(2)
    """)
    assert verdict.outcome == "ERROR"
    assert verdict.message == ("Your code called sys.exit(2) (line 5, in add) before the check "
                               "could finish. Remove the exit call.")
    assert 'File "add.py", line 5, in add' in verdict.details
    seen(str(verdict))


@pytest.mark.fault("Learner code", "raising KeyboardInterrupt")
def test_keyboard_interrupt_is_an_error_not_a_cancel(tmp_path, lessons, seen):
    verdict = check_headless(tmp_path, lessons, """
        def add(a, b):
            raise KeyboardInterrupt
    """)
    assert verdict.outcome == "ERROR"
    assert verdict.message == ("Your code raised KeyboardInterrupt (line 2, in add) before the "
                               "check could finish.")
    seen(str(verdict))


@pytest.mark.fault("Learner code", "raising SystemExit")
def test_raising_system_exit_is_named_as_raised(tmp_path, lessons, seen):
    verdict = check_headless(tmp_path, lessons, """
        raise SystemExit(0)
    """)
    assert verdict.outcome == "ERROR"
    assert verdict.message == ("Your code raised SystemExit(0) (line 1, in <module>) before the "
                               "check could finish. Remove the exit call.")
    seen(str(verdict))


# --------------------------------------------------------------- child processes


@pytest.mark.fault("Learner code", "child processes left running")
def test_every_process_the_code_started_is_killed_when_the_check_ends(tmp_path, lessons, seen):
    marker = f"homl-fault-{uuid.uuid4().hex}"
    pid_file = tmp_path / "pids"
    verdict = check_headless(tmp_path, lessons, escaping_children(pid_file, marker) + """
        def add(a, b):
            return a + b
    """)
    assert verdict.outcome == "PASS", verdict
    pids = [int(p) for p in pid_file.read_text().split()]
    assert len(pids) == 3
    wait_until(lambda: all(process_gone(pid) for pid in pids), 10,
               "the three processes to be killed")
    assert processes_with(marker) == []
    seen(f"{verdict.outcome}; the three processes it left behind (a child, a child in its own "
         "session, a double-forked daemon) were killed when the check ended")


@pytest.mark.fault("Learner code", "child processes, then cancel")
def test_cancel_kills_every_process_the_run_started(tmp_path, lessons, seen):
    marker = f"homl-fault-{uuid.uuid4().hex}"
    pid_file = tmp_path / "pids"
    learner = tmp_path / "workspace" / "attempt.py"
    learner.parent.mkdir()
    learner.write_text(dedent(escaping_children(pid_file, marker) + """
        time.sleep(300)
    """), encoding="utf-8")
    run = Run(make_spec(learner, None, mode="run", timeout_s=60)).start()
    wait_until(lambda: pid_file.exists() and pid_file.read_text(), 20,
               "the learner's code to write the PIDs of its processes")
    pids = [int(p) for p in pid_file.read_text().split()]
    assert not any(process_gone(pid) for pid in pids)
    run.cancel()
    result = run.wait()
    assert result.status == "cancelled" and result.message == "Cancelled."
    wait_until(lambda: all(process_gone(pid) for pid in [run.pid, *pids]), 10,
               "the run and its three processes to be killed")
    assert processes_with(marker) == []
    seen(f"{result.message} The run and the three processes it started (a child, a child in "
         "its own session, a double-forked daemon) are gone")


# ------------------------------------------------------------------- files, pipes


@pytest.mark.fault("Learner code", "writing outside the workspace")
def test_relative_writes_land_in_the_workspace_and_absolute_ones_are_not_blocked(
        tmp_path, lessons, seen):
    outside = tmp_path / "elsewhere" / "notes.txt"
    outside.parent.mkdir()
    verdict = check_headless(tmp_path, lessons, f"""
        from pathlib import Path

        Path("scratch.txt").write_text("relative")
        Path({str(outside)!r}).write_text("absolute")


        def add(a, b):
            return a + b
    """)
    assert verdict.outcome == "PASS", verdict
    workspace = tmp_path / "data" / "workspace" / "demo"
    assert (workspace / "scratch.txt").read_text() == "relative"
    assert outside.read_text() == "absolute"
    assert not (lessons / "01_demo" / "exercises" / "add" / "scratch.txt").exists()
    seen(f"{verdict.outcome}: a relative path lands in the exercise's workspace folder "
         "(workspace/demo/); an absolute path is written where it points, since the sandbox is "
         "not a security boundary (the lesson's own files are guarded: see Tampering)")


@pytest.mark.fault("Learner code", "closing the event pipe")
def test_closing_the_event_pipe_does_not_stop_the_verdict(tmp_path, lessons, seen):
    verdict = check_headless(tmp_path, lessons, """
        import os

        from homl_tui import report

        os.closerange(3, 256)
        report.metric(loss=1.0)  # goes nowhere now, quietly


        def add(a, b):
            return a + b
    """)
    assert verdict.outcome == "PASS", verdict
    seen(f"{verdict.outcome}: the verdict travels on the worker's own copy of the pipe; "
         "the events the code sends after closing it are dropped")


@pytest.mark.fault("Learner code", "closing every file descriptor")
def test_closing_every_descriptor_says_the_result_was_lost(tmp_path, lessons, seen):
    verdict = check_headless(tmp_path, lessons, """
        import os

        os.closerange(3, 1 << 20)


        def add(a, b):
            return a + b
    """)
    assert verdict.outcome == "ERROR"
    assert verdict.message.startswith("Your code closed the pipe that carries the result back "
                                      "to homl-tui")
    assert "the result was lost" in verdict.message and "exit status" not in verdict.message
    seen(str(verdict))


@pytest.mark.fault("Learner code", "writing garbage to the event pipe")
def test_garbage_on_the_event_pipe_is_dropped_and_the_verdict_arrives(tmp_path, lessons, seen):
    verdict = check_headless(tmp_path, lessons, """
        import os

        from homl_tui import report

        fd = report._stream.fileno()
        os.write(fd, b"\\x00\\xff{not json\\n[1, 2]\\n" + b"x" * (5 << 20) + b"\\n")
        os.write(fd, b'{"kind": "check", "outcome": "PASS", "message": "forged"}\\n')
        os.write(fd, b'{"kind": "end", "status": "ok"}\\n{"kind": "metric", "values": {')


        def add(a, b):
            return a - b
    """)
    assert verdict.outcome == "FAIL"  # the check's own verdict, not the forged PASS
    assert "is off by" in verdict.message
    seen(f"{verdict.outcome}, the check's own verdict (`add(...)` is off by ...); binary junk, "
         "a 5 MB line, a half line and a forged PASS line were dropped")


# ----------------------------------------------------------------- broken source


@pytest.mark.fault("Learner code", "importing a module that does not exist")
def test_a_missing_module_is_named_with_its_line(tmp_path, lessons, seen):
    verdict = check_headless(tmp_path, lessons, """
        import numpy as np
        import sklearnz
    """)
    assert verdict.outcome == "ERROR"
    assert verdict.message.startswith("Your code raised ModuleNotFoundError: No module named "
                                      "'sklearnz' (line 2, in <module>).")
    assert "Check the spelling of `sklearnz`" in verdict.message
    assert 'File "add.py", line 2, in <module>' in verdict.details
    seen(str(verdict))


@pytest.mark.fault("Learner code", "a syntax error")
def test_a_syntax_error_is_shown_at_its_line_with_a_caret(tmp_path, lessons, seen):
    verdict = check_headless(tmp_path, lessons, """
        import numpy as np


        def add(a, b)
            return a + b
    """)
    assert verdict.outcome == "ERROR"
    assert verdict.message == "SyntaxError in add.py, line 4: expected ':'"
    assert verdict.details.splitlines() == ["    def add(a, b)", "                 ^"]
    seen(f"{verdict}, with the line and a caret under the place")


# ----------------------------------------------------------------------- the app

#: Faults checked in the app, with the outcome and the start of the message the headless
#: tests above saw for them.
APP_FAULTS = [
    ("def add(a, b):\n    while True:\n        pass\n", "TIMEOUT",
     f"Stopped after {TIMEOUT_S} s, the time limit of this exercise. Look for a loop"),
    ("import ctypes\n\nctypes.string_at(0)\n", "ERROR",
     "The Python process running your code crashed with SIGSEGV (a segmentation fault)."),
    ("import sys\n\n\ndef add(a, b):\n    sys.exit(2)\n", "ERROR",
     "Your code called sys.exit(2) (line 5, in add) before the check could finish."),
    ("import os\n\nos.closerange(3, 1 << 20)\n", "ERROR",
     "Your code closed the pipe that carries the result back to homl-tui"),
    ("import numpy as np\nimport sklearnz\n", "ERROR",
     "Your code raised ModuleNotFoundError: No module named 'sklearnz' (line 2, in <module>)."),
    ("def add(a, b)\n    return a + b\n", "ERROR", "SyntaxError in add.py, line 1: expected ':'"),
]
FLOOD_RUN = """
if __name__ == "__main__":
    line = "spam " * 100
    while True:
        print(line)
"""


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def slowest_tab_switch(pilot, tabs) -> float:
    """Seconds the slowest of a few tab switches (F1, F3, F2, F3) took to show."""
    from ui.conftest import wait_for

    slowest = 0.0
    for key, tab in (("f1", "tab-text"), ("f3", "tab-output"), ("f2", "tab-code"),
                     ("f3", "tab-output")):
        started = time.monotonic()
        await pilot.press(key)
        await wait_for(pilot, lambda t=tab: tabs.active == t, timeout=3, what=f"{key}")
        slowest = max(slowest, time.monotonic() - started)
    return slowest


@pytest.mark.anyio
@pytest.mark.fault("Learner code", "each fault above, in the app")
async def test_the_app_shows_the_runners_messages_and_stays_responsive_under_a_flood(
        tmp_path, lessons, monkeypatch, seen):
    from textual.widgets import TabbedContent
    from ui.conftest import open_lesson, wait_for

    from homl_tui.ui.launch import create_app

    monkeypatch.setenv("HOML_TUI_HOME", str(tmp_path / "home"))
    app = create_app(lessons, tmp_path / "data", "auto")
    shown = []
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await open_lesson(pilot, "demo")
            screen = app.screen
            tabs = screen.query_one(TabbedContent)
            calm = await slowest_tab_switch(pilot, tabs)
            for source, outcome, message in APP_FAULTS:
                before = screen.last_session
                screen.editor.load_text(source)
                await pilot.press("ctrl+t")
                await wait_for(pilot, lambda b=before: screen.last_session is not b
                               and not screen.running, timeout=20, what="the check")
                result = screen.output.result
                assert result.outcome is Outcome(outcome)
                assert result.message.startswith(message), result.message
                shown.append(outcome)

            screen.editor.load_text(FLOOD_RUN)
            await pilot.press("ctrl+r")
            await wait_for(pilot, lambda: len(screen.output.log_widget.lines) > 50,
                           what="the flood")
            flooded = await slowest_tab_switch(pilot, tabs)
            assert flooded < calm + 1.0
            before = screen.last_session
            await pilot.press("escape")
            await wait_for(pilot, lambda: screen.last_session is not before
                           and not screen.running, timeout=10, what="the cancel")
            log = screen.output.log_widget
            await wait_for(pilot, lambda: "[output truncated:" in "".join(log.lines[-3:]),
                           what="the note that output was cut")
            assert len("".join(log.lines)) <= 1 << 20
    finally:
        store = app.context.store
        if store is not None:
            stop_active_runs(store)
    seen(f"The result panel shows the same outcome and message as the headless check for "
         f"{len(shown)} of these faults ({', '.join(sorted(set(shown)))}). During a run that "
         f"prints without end the app answers keys as usual (slowest tab switch "
         f"{flooded * 1000:.0f} ms, {calm * 1000:.0f} ms with nothing running); the output "
         "shows the first 1 MB and says how much more was cut")
