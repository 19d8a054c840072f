"""Runs (homl_tui.runtime.runner + worker): real child processes, real checks, real limits."""

from __future__ import annotations

import os
import time

import pytest
from conftest import (
    DOUBLE_SOLUTION,
    DOUBLE_STARTER,
    Checked,
    dedent,
    make_spec,
    process_gone,
    run_check,
    write_exercise,
)

from homl_tui.outcome import Outcome
from homl_tui.runtime.runner import THREAD_VARS, Run

WRONG_DOUBLE = """
    def double(x):
        return 3 * x
"""


def assert_single_check_and_end(checked: Checked) -> None:
    kinds = checked.kinds()
    assert kinds.count("check") == 1, kinds
    assert kinds.count("end") == 1, kinds
    assert kinds[-1] == "end"
    assert kinds.index("check") < kinds.index("end")


# ------------------------------------------------------------------ outcomes


def test_correct_code_passes(tmp_path):
    checked = run_check(tmp_path, DOUBLE_SOLUTION)
    assert checked.result.outcome is Outcome.PASS, checked.result.message
    assert checked.result.passed
    assert checked.result.status == "ok"
    assert checked.result.returncode == 0
    assert_single_check_and_end(checked)


def test_wrong_code_fails_with_the_check_message(tmp_path):
    checked = run_check(tmp_path, WRONG_DOUBLE)
    result = checked.result
    assert result.outcome is Outcome.FAIL
    assert result.status == "failed"
    assert result.message.startswith("On test input #1 (float64 array of shape (1,)): ")
    assert "is off by" in result.message
    (check,) = checked.of("check")
    assert check["outcome"] == "FAIL" and check["message"] == result.message


def test_unchanged_starter_is_not_attempted(tmp_path):
    checked = run_check(tmp_path, DOUBLE_STARTER + "\n\n")
    assert checked.result.outcome is Outcome.NOT_ATTEMPTED
    assert "starter" in checked.result.message


def test_placeholder_still_raising_not_implemented_is_not_attempted(tmp_path):
    checked = run_check(tmp_path, """
        import numpy as np


        def double(x):
            y = np.asarray(x)
            raise NotImplementedError
    """)
    assert checked.result.outcome is Outcome.NOT_ATTEMPTED
    assert "`double` still raises NotImplementedError" in checked.result.message
    assert "line 6" in checked.result.message


def test_strict_mode_checks_the_starter_itself(tmp_path, double_exercise):
    checked = run_check(tmp_path, DOUBLE_STARTER, exercise_dir=double_exercise, strict=True)
    assert checked.result.outcome is Outcome.NOT_ATTEMPTED
    assert "NotImplementedError" in checked.result.message


def test_learner_error_gives_a_traceback_trimmed_to_learner_frames(tmp_path):
    checked = run_check(tmp_path, """
        def helper(x):
            return x / 0 + undefined_name


        def double(x):
            return helper(x)
    """)
    result = checked.result
    assert result.outcome is Outcome.ERROR
    assert result.message == ("Your code raised NameError: name 'undefined_name' is not defined "
                              "(line 2, in helper).")
    assert result.details.startswith("Traceback (your code only):")
    assert 'File "attempt.py", line 6, in double' in result.details
    assert 'File "attempt.py", line 2, in helper' in result.details
    assert "homl_tui" not in result.details
    assert "check.py" not in result.details


def test_error_at_import_time_is_reported_with_its_line(tmp_path):
    checked = run_check(tmp_path, """
        import numpy as np

        values = {}["missing"]
    """)
    assert checked.result.outcome is Outcome.ERROR
    assert "KeyError" in checked.result.message and "line 3" in checked.result.message
    assert "<module>" in checked.result.details


def test_syntax_error_is_reported_at_the_right_line(tmp_path):
    checked = run_check(tmp_path, """
        def double(x):
            y = 2 * x
            return (y
        z = 1
    """)
    result = checked.result
    assert result.outcome is Outcome.ERROR
    assert result.message.startswith("SyntaxError in attempt.py, line 3")
    assert "return (y" in result.details and "^" in result.details


def test_indentation_error_is_reported_at_the_right_line(tmp_path):
    checked = run_check(tmp_path, "def double(x):\n    y = 2 * x\n  return y\n")
    assert checked.result.outcome is Outcome.ERROR
    assert checked.result.message.startswith("IndentationError in attempt.py, line 3")


def test_broken_check_is_an_error_that_blames_the_exercise(tmp_path):
    exercise = write_exercise(tmp_path / "exercise", check="def check(learner, ctx)\n")
    checked = run_check(tmp_path, DOUBLE_SOLUTION, exercise_dir=exercise)
    assert checked.result.outcome is Outcome.ERROR
    assert "check could not be loaded" in checked.result.message


def test_missing_framework_is_reported_as_an_error(tmp_path):
    (tmp_path / "workspace").mkdir()
    (tmp_path / "workspace" / "pandas.py").write_text(
        "raise ImportError(\"No module named 'pandas'\")\n")
    checked = run_check(tmp_path, DOUBLE_SOLUTION, frameworks=["numpy", "pandas"])
    assert checked.result.outcome is Outcome.ERROR
    assert "A package this exercise needs is missing" in checked.result.message
    assert "pandas" in checked.result.message
    assert_single_check_and_end(checked)


# ------------------------------------------------------------------ limits


def test_infinite_loop_times_out(tmp_path):
    started = time.monotonic()
    checked = run_check(tmp_path, """
        def double(x):
            while True:
                pass
    """, timeout_s=1.5)
    elapsed = time.monotonic() - started
    result = checked.result
    assert result.outcome is Outcome.TIMEOUT
    assert result.status == "timeout"
    assert "1.5 s" in result.message
    assert 1.5 <= elapsed < 8
    assert_single_check_and_end(checked)
    assert checked.of("check")[0]["outcome"] == "TIMEOUT"


def test_segfault_is_reported_as_a_crash(tmp_path):
    checked = run_check(tmp_path, """
        import os, signal

        os.kill(os.getpid(), signal.SIGSEGV)
    """)
    result = checked.result
    assert result.status == "crashed"
    assert result.outcome is Outcome.ERROR
    assert "SIGSEGV" in result.message and "segmentation fault" in result.message
    assert result.returncode == -11
    assert_single_check_and_end(checked)


def test_os_exit_before_the_check_is_an_error_with_a_clear_message(tmp_path):
    checked = run_check(tmp_path, """
        import os

        os._exit(3)
    """)
    result = checked.result
    assert result.outcome is Outcome.ERROR
    assert result.status == "error"
    assert "exit status 3" in result.message and "os._exit()" in result.message
    assert_single_check_and_end(checked)


def test_sys_exit_before_the_check_is_an_error_with_a_clear_message(tmp_path):
    checked = run_check(tmp_path, """
        import sys

        sys.exit(2)
    """)
    result = checked.result
    assert result.outcome is Outcome.ERROR
    assert "called sys.exit(2)" in result.message
    assert "Remove the exit call" in result.message


def test_infinite_output_is_capped_and_the_run_still_ends_by_timeout(tmp_path):
    checked = run_check(tmp_path, """
        import sys

        while True:
            print("spam " * 40)
    """, output_limit=20_000, timeout_s=1.5)
    result = checked.result
    assert result.outcome is Outcome.TIMEOUT
    assert len(checked.text("stdout").encode()) <= 20_000
    assert result.output_dropped > 0
    notice = checked.text("stderr")
    assert "[output truncated:" in notice and "bytes were not shown]" in notice
    assert checked.kinds()[-1] == "end"


@pytest.mark.slow
def test_memory_watchdog_stops_a_memory_hog(tmp_path):
    checked = run_check(tmp_path, """
        import time

        hoard = []
        for _ in range(60):
            hoard.append(b"x" * (20 << 20))
            time.sleep(0.03)
        time.sleep(30)
    """, memory_mb=200, timeout_s=20)
    result = checked.result
    assert result.status == "memory"
    assert result.outcome is Outcome.ERROR
    assert "more than 200 MB of memory" in result.message
    assert result.duration_s < 10
    assert_single_check_and_end(checked)


def test_cancel_ends_a_sleeping_run_and_its_grandchild(tmp_path, double_exercise):
    pid_file = tmp_path / "grandchild.pid"
    learner = tmp_path / "workspace" / "attempt.py"
    learner.parent.mkdir()
    learner.write_text(
        "import subprocess, sys, time\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'])\n"
        f"open({str(pid_file)!r}, 'w').write(str(child.pid))\n"
        "time.sleep(120)\n")
    run = Run(make_spec(learner, double_exercise, timeout_s=60)).start()
    deadline = time.monotonic() + 20
    while not (pid_file.exists() and pid_file.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    grandchild = int(pid_file.read_text())
    assert not process_gone(run.pid) and not process_gone(grandchild)

    started = time.monotonic()
    run.cancel()
    events = []
    result = run.wait(events.append)
    assert time.monotonic() - started < 5
    assert result.status == "cancelled"
    assert result.outcome is Outcome.CANCELLED
    assert [e["outcome"] for e in events if e["kind"] == "check"] == ["CANCELLED"]
    assert run.done
    deadline = time.monotonic() + 5
    while not (process_gone(run.pid) and process_gone(grandchild)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process_gone(run.pid)
    assert process_gone(grandchild)


def test_a_learner_thread_outliving_the_check_does_not_hold_the_verdict_back(tmp_path):
    started = time.monotonic()
    checked = run_check(tmp_path, """
        import threading, time

        threading.Thread(target=time.sleep, args=(120,)).start()


        def double(x):
            return 2 * x
    """, timeout_s=20)
    assert time.monotonic() - started < 10
    assert checked.result.status == "ok"
    assert checked.result.outcome is Outcome.PASS
    assert_single_check_and_end(checked)
    assert checked.of("check")[0]["outcome"] == "PASS"
    assert checked.events[-1]["outcome"] == "PASS"


def test_grandchildren_left_behind_are_killed_when_the_run_ends(tmp_path):
    pid_file = tmp_path / "orphan.pid"
    checked = run_check(tmp_path, f"""
        import subprocess, sys

        orphan = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        open({str(pid_file)!r}, "w").write(str(orphan.pid))


        def double(x):
            return 2 * x
    """)
    assert checked.result.outcome is Outcome.PASS
    orphan = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while not process_gone(orphan) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process_gone(orphan)


def test_checks_are_deterministic_across_runs(tmp_path):
    first = run_check(tmp_path / "a", WRONG_DOUBLE).result
    second = run_check(tmp_path / "b", WRONG_DOUBLE).result
    assert first.outcome is second.outcome is Outcome.FAIL
    assert first.message == second.message


def test_learner_random_numbers_are_seeded_from_the_spec(tmp_path):
    source = """
        import random
        import numpy as np

        print(random.random(), np.random.rand())
    """
    first = run_check(tmp_path / "a", source, mode="run", seed=7).text()
    again = run_check(tmp_path / "b", source, mode="run", seed=7).text()
    other = run_check(tmp_path / "c", source, mode="run", seed=8).text()
    assert first == again
    assert first != other


def test_a_printed_line_arrives_as_one_piece(tmp_path):
    # print("a", i) is several writes; the worker must send each line in one piece, or a
    # consumer interleaving streams (the CLI printing metrics) splits the learner's lines.
    checked = run_check(tmp_path, """
        import sys
        print(sys.stdout.line_buffering, sys.stdout.write_through,
              sys.stderr.line_buffering, sys.stderr.write_through)
        for i in range(200):
            print("line", i, "of", 200)
    """, mode="run")
    assert checked.text().splitlines()[0] == "True False True False"
    assert all(e["text"].endswith("\n") for e in checked.of("stdout"))


@pytest.mark.slow
def test_torch_runs_report_the_device_and_cap_torch_threads(tmp_path):
    checked = run_check(tmp_path, """
        import os
        import torch

        print(os.environ["HOML_TUI_DEVICE"], torch.get_num_threads())
    """, mode="run", frameworks=["torch"], threads=2, device="cpu")
    assert checked.result.status == "ok", checked.text("stderr")
    (note,) = [e for e in checked.of("note") if "device" in e]
    assert note["device"] == "cpu" and note["device_name"].startswith("CPU")
    assert checked.run.device == "cpu"
    assert checked.text() == "cpu 2\n"


# ------------------------------------------------------------------ sandboxing


def run_script(tmp_path, source: str, **overrides) -> Checked:
    return run_check(tmp_path, source, mode="run", **overrides)


def test_script_mode_runs_the_main_block_and_reports_ok(tmp_path):
    checked = run_script(tmp_path, """
        def double(x):
            return 2 * x

        if __name__ == "__main__":
            print("double(21) =", double(21))
    """)
    assert checked.result.status == "ok"
    assert checked.result.outcome is None
    assert checked.text() == "double(21) = 42\n"
    assert "check" not in checked.kinds()


def test_check_mode_does_not_run_the_main_block(tmp_path):
    checked = run_check(tmp_path, """
        def double(x):
            return 2 * x

        if __name__ == "__main__":
            print("MAIN BLOCK RAN")
    """)
    assert checked.result.outcome is Outcome.PASS
    assert "MAIN BLOCK RAN" not in checked.text()


def test_script_errors_are_printed_trimmed_to_learner_frames(tmp_path):
    checked = run_script(tmp_path, """
        def f():
            raise ValueError("bad value")

        f()
    """)
    assert checked.result.status == "error"
    assert checked.result.message == "Your script raised ValueError: bad value"
    stderr = checked.text("stderr")
    assert 'File "attempt.py", line 2, in f' in stderr and "homl_tui" not in stderr


def test_child_has_stdin_closed(tmp_path):
    checked = run_script(tmp_path, """
        import sys, time

        started = time.monotonic()
        data = sys.stdin.read()
        print(repr(data), time.monotonic() - started < 1)
    """, timeout_s=10)
    assert checked.result.status == "ok"
    assert checked.text() == "'' True\n"


def test_child_runs_in_its_own_session(tmp_path):
    checked = run_script(tmp_path, "import os\nprint(os.getpid(), os.getsid(0))\n")
    pid, sid = map(int, checked.text().split())
    assert sid != os.getsid(0)
    assert sid == pid == checked.run.pid


def test_thread_variables_are_set_from_the_spec(tmp_path):
    checked = run_script(tmp_path, f"""
        import os

        print(" ".join(os.environ[v] for v in {THREAD_VARS!r}))
    """, threads=3)
    assert checked.text().split() == ["3"] * len(THREAD_VARS)


def test_event_pipe_variable_is_not_visible_to_learner_code(tmp_path):
    checked = run_script(tmp_path, "import os\nprint(os.environ.get('HOML_TUI_EVENTS_FD'))\n")
    assert checked.text() == "None\n"


def test_extra_environment_from_the_spec_reaches_the_child(tmp_path):
    checked = run_script(tmp_path, "import os\nprint(os.environ['MY_FLAG'])\n",
                         env={"MY_FLAG": "on"})
    assert checked.text() == "on\n"


# ------------------------------------------------------------------ events


STREAMING_LEARNER = """
    from homl_tui import report

    for step in range(5):
        report.metric(step=step, loss=1.0 / (step + 1))
    report.progress(5, 5)
    print("learner says hi")


    def double(x):
        return 2 * x
"""


def test_events_arrive_in_order_with_one_check_and_one_end(tmp_path):
    checked = run_check(tmp_path, STREAMING_LEARNER)
    assert_single_check_and_end(checked)
    # stdout and stderr travel on their own pipes; the event pipe keeps its order
    kinds = [k for k in checked.kinds() if k not in ("stdout", "stderr")]
    assert kinds == ["start", "note", "metric", "metric", "metric", "metric", "metric",
                     "progress", "check", "end"]
    end = checked.events[-1]
    assert end["status"] == "ok" and end["outcome"] == "PASS"
    assert end["duration_s"] > 0


def test_learner_metrics_arrive_as_metric_events(tmp_path):
    checked = run_check(tmp_path, STREAMING_LEARNER)
    metrics = checked.of("metric")
    assert [m["step"] for m in metrics] == [0, 1, 2, 3, 4]
    assert [m["values"]["loss"] for m in metrics] == [1.0, 0.5, 1 / 3, 0.25, 0.2]
    assert checked.result.last_metrics == {"loss": 0.2}


def test_learner_prints_arrive_as_stdout_events(tmp_path):
    checked = run_check(tmp_path, STREAMING_LEARNER)
    assert checked.text("stdout") == "learner says hi\n"


def test_reference_prints_and_metrics_do_not_leak_into_the_output(tmp_path):
    exercise = write_exercise(tmp_path / "exercise", solution="""
        from homl_tui import report

        print("REFERENCE LOADED")


        def double(x):
            print("REFERENCE ANSWER", 2 * x)
            report.metric(reference_secret=1.0)
            return 2 * x
    """)
    checked = run_check(tmp_path, DOUBLE_SOLUTION, exercise_dir=exercise)
    assert checked.result.outcome is Outcome.PASS
    assert "REFERENCE" not in checked.text("stdout") + checked.text("stderr")
    assert checked.of("metric") == []


def test_oversized_event_lines_are_dropped_and_later_events_still_arrive(tmp_path):
    checked = run_check(tmp_path, """
        from homl_tui import report

        report.emit({"kind": "note", "blob": "x" * (5 << 20)})
        report.metric(step=0, after=1.0)


        def double(x):
            return 2 * x
    """)
    assert checked.result.outcome is Outcome.PASS
    assert [e for e in checked.of("note") if "blob" in e] == []
    assert [m["values"] for m in checked.of("metric")] == [{"after": 1.0}]


def test_drain_polls_without_blocking(tmp_path, double_exercise):
    target = tmp_path / "attempt.py"
    target.write_text("import time\ntime.sleep(0.5)\n\ndef double(x):\n    return 2 * x\n")
    run = Run(make_spec(target, double_exercise)).start()
    started = time.monotonic()
    first = run.drain()
    assert time.monotonic() - started < 0.2
    assert not run.done
    events = list(first)
    while not run.done:
        events.extend(run.drain())
        time.sleep(0.05)
    events.extend(run.drain())
    assert [e["kind"] for e in events].count("end") == 1
    assert run.result.outcome is Outcome.PASS


def test_python_that_cannot_start_is_an_error_not_an_exception(tmp_path, double_exercise):
    target = tmp_path / "attempt.py"
    target.write_text(dedent(DOUBLE_SOLUTION))
    run = Run(make_spec(target, double_exercise), python=str(tmp_path / "no-such-python")).start()
    events = []
    result = run.wait(events.append)
    assert result.outcome is Outcome.ERROR
    assert "Could not start Python" in result.message
    assert [e["kind"] for e in events] == ["check", "end"]
