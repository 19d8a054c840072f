"""Faults around the headless command: signals, closed or odd standard streams, encodings,
several commands at once on one data folder, runs that are gone, a read-only data folder.

Every test runs ``python -m homl_tui`` as a real process on a copy of the fixture lesson,
and records what the person at the terminal (or the CI log) sees.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import DEMO_LESSON, ROOT, dedent, process_gone, subprocess_env

from homl_tui.store import Store

SOLUTION = "def add(a, b):\n    return a + b\n"
#: A learner file that starts a child process, notes both pids, then sleeps.
SLEEPER = """
    import os, subprocess, sys, time
    from pathlib import Path

    here = Path(__file__).resolve().parent
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", str(here)])
    (here / f"tmp-{os.getpid()}").write_text(f"{os.getpid()} {child.pid}")
    os.replace(here / f"tmp-{os.getpid()}", here / f"pids-{os.getpid()}")
    time.sleep(60)


    def add(a, b):
        return a + b
"""
#: A learner file whose error message holds an ANSI escape and text beyond ASCII.
SHOUTER = """
    def add(a, b):
        raise ValueError("\\x1b[31mcafé ✔\\x1b[0m")
"""
RESULT_LINE = re.compile(r"(PASS|FAIL|ERROR|NOT_ATTEMPTED|TIMEOUT) +demo/\w+ \(\d+\.\d s\)")


# ------------------------------------------------------------------ helpers


def course(tmp_path: Path, exercises: tuple[str, ...] = ("add",)) -> Path:
    """A lessons folder: the demo lesson with the ``add`` exercise under each id given."""
    lessons = tmp_path / "lessons"
    lesson = lessons / "01_demo"
    shutil.copytree(DEMO_LESSON, lesson)
    toml = (lesson / "lesson.toml").read_text()
    block = toml[toml.index("[[exercises]]"):]
    extra = [ex for ex in exercises if ex != "add"]
    for ex in extra:
        shutil.copytree(lesson / "exercises" / "add", lesson / "exercises" / ex)
        toml += "\n" + block.replace('id = "add"', f'id = "{ex}"')
    (lesson / "lesson.toml").write_text(toml)
    text = lesson / "lesson.md"
    text.write_text(text.read_text() + "".join(f"\n::: exercise {ex}\n" for ex in extra))
    return lessons


def learner_file(data_dir: Path, exercise: str, source: str) -> Path:
    path = data_dir / "workspace" / "demo" / f"{exercise}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dedent(source))
    return path


def homl(*args: str, lessons: Path, data_dir: Path) -> list[str]:
    return [sys.executable, "-m", "homl_tui", *args, "--lessons", str(lessons),
            "--data-dir", str(data_dir)]


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    kwargs.setdefault("env", subprocess_env())
    kwargs.setdefault("capture_output", "stdout" not in kwargs)
    return subprocess.run(command, text=True, timeout=120, cwd=ROOT, **kwargs)


def attempts(data_dir: Path) -> list[tuple[str, str]]:
    with contextlib.closing(sqlite3.connect(data_dir / "homl.sqlite3")) as db:
        return db.execute("SELECT exercise, outcome FROM attempts ORDER BY id").fetchall()


def started_pids(data_dir: Path) -> list[int]:
    """The pids :data:`SLEEPER` runs noted: each one's worker and the child it started."""
    return [int(pid) for path in (data_dir / "workspace" / "demo").glob("pids-*")
            for pid in path.read_text().split()]


def processes_mentioning(text: str) -> list[int]:
    """Live processes whose command line holds ``text`` (zombies are gone)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as fh:
                    if text.encode() in fh.read() and not process_gone(int(entry)):
                        found.append(int(entry))
            except OSError:
                continue
    return found


def plain(text: str) -> str:
    """Output for the table of faults: one line without timings, a few hundred characters."""
    return " ".join(re.sub(r" \(\d+\.\d s\)", "", text).split())[:300]


# ----------------------------------------------------------------- signals


@pytest.mark.fault("Headless", "`homl-tui check` under `timeout` (SIGTERM mid-run)")
def test_check_under_timeout_cancels_its_runs_ends_every_process_and_says_so(tmp_path, seen):
    if shutil.which("timeout") is None:
        pytest.skip("needs coreutils' timeout")
    lessons, data = course(tmp_path, ("add", "add2")), tmp_path / "data"
    for exercise in ("add", "add2"):
        learner_file(data, exercise, SLEEPER)
    proc = run(["timeout", "--preserve-status", "-s", "TERM", "5",
                *homl("check", "demo", "-j", "2", lessons=lessons, data_dir=data)])
    pids = started_pids(data)
    assert len(pids) == 4, "both runs should have started (worker and child each) within 5 s"
    assert proc.returncode == 128 + signal.SIGTERM, proc.stderr
    assert proc.stderr.strip().endswith("stopped: SIGTERM") and "Traceback" not in proc.stderr
    assert proc.stdout.strip() == "0 passed, 0 failed, 2 not finished"
    assert all(process_gone(pid) for pid in pids)
    assert processes_mentioning(str(data)) == []
    assert attempts(data) == []  # a cancelled check is not an attempt
    seen(f"stdout `{proc.stdout.strip()}`, stderr `{proc.stderr.strip()}`, exit "
         f"{proc.returncode}; both runs cancelled, their workers and the processes they "
         "started all gone")


@pytest.mark.fault("Headless", "a hang-up (SIGHUP) during `homl-tui check`")
def test_a_hang_up_during_check_cancels_its_run_and_ends_every_process(tmp_path, seen):
    lessons, data = course(tmp_path), tmp_path / "data"
    learner_file(data, "add", SLEEPER)
    proc = subprocess.Popen(homl("check", "demo", lessons=lessons, data_dir=data),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env=subprocess_env())
    try:
        deadline = time.monotonic() + 30
        while len(pids := started_pids(data)) < 2:
            assert time.monotonic() < deadline and proc.poll() is None, "the run did not start"
            time.sleep(0.05)
        proc.send_signal(signal.SIGHUP)
        stdout, stderr = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 128 + signal.SIGHUP, stderr
    assert stderr.strip().endswith("stopped: SIGHUP") and "Traceback" not in stderr
    assert stdout.strip() == "0 passed, 0 failed, 1 not finished"
    assert all(process_gone(pid) for pid in pids)
    assert processes_mentioning(str(data)) == []
    seen(f"stdout `{stdout.strip()}`, stderr `{stderr.strip()}`, exit {proc.returncode}; "
         "the run cancelled, its worker and the process it started gone")


# ---------------------------------------------------------- standard streams


def check_passes(tmp_path: Path, command_prefix: list[str] | None = None, **kwargs) -> str:
    lessons, data = course(tmp_path), tmp_path / "data"
    learner_file(data, "add", SOLUTION)
    proc = run([*(command_prefix or []), *homl("check", "demo", lessons=lessons, data_dir=data)],
               **kwargs)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("PASS          demo/add")
    assert proc.stderr == ""
    assert attempts(data) == [("demo/add", "PASS")]
    return proc.stdout.splitlines()[0]


@pytest.mark.fault("Headless", "`homl-tui check` with stdin closed (`0<&-`)")
def test_check_with_stdin_closed_checks_and_records(tmp_path, seen):
    line = check_passes(tmp_path, ["sh", "-c", 'exec "$@" 0<&-', "sh"])
    seen(f"works as usual: `{plain(line)}`, exit 0, the attempt recorded")


@pytest.mark.fault("Headless", "`homl-tui check` with stdin from /dev/null")
def test_check_with_stdin_from_devnull_checks_and_records(tmp_path, seen):
    line = check_passes(tmp_path, stdin=subprocess.DEVNULL)
    seen(f"works as usual: `{plain(line)}`, exit 0, the attempt recorded")


@pytest.mark.fault("Headless", "`homl-tui check` with stdout a file")
def test_check_into_a_file_writes_plain_complete_lines(tmp_path, seen):
    lessons, data = course(tmp_path, ("add", "add2")), tmp_path / "data"
    learner_file(data, "add", SOLUTION)
    learner_file(data, "add2", SHOUTER)
    log = tmp_path / "check.log"
    with log.open("wb") as out:
        proc = run(homl("check", "demo", lessons=lessons, data_dir=data), stdout=out,
                   stderr=subprocess.PIPE, env=subprocess_env(TERM="xterm-256color"))
    assert proc.returncode == 1 and proc.stderr == ""
    raw = log.read_bytes()
    assert b"\x1b" not in raw and raw.endswith(b"\n")
    lines = raw.decode("utf-8").splitlines()
    assert RESULT_LINE.match(lines[0]) and RESULT_LINE.match(lines[1])
    assert all(line.startswith("    ") for line in lines[2:-1])  # the error's traceback
    assert lines[-1] == "1 passed, 1 failed"
    (error,) = [line for line in lines if line.startswith("ERROR")]
    assert "\\x1b[31mcafé ✔\\x1b[0m" in error
    seen(f"plain lines, no colour codes, each complete (the learner's own escape codes shown "
         f"as text): `{plain(error)}`")


@pytest.mark.fault("Headless", "`homl-tui list` into a closed pipe (`| head -1`)")
def test_list_into_a_closed_pipe_ends_quietly(tmp_path, seen):
    lessons = course(tmp_path)
    proc = subprocess.Popen(homl("list", lessons=lessons, data_dir=tmp_path / "data"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
                            env=subprocess_env())
    proc.stdout.close()  # the reader is gone before the first line is written
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 128 + signal.SIGPIPE
    assert stderr == ""
    seen(f"nothing on stderr (no BrokenPipeError traceback), exit {proc.returncode}")


@pytest.mark.fault("Headless", "`homl-tui check` into a closed pipe")
def test_check_into_a_closed_pipe_records_the_result_and_ends_quietly(tmp_path, seen):
    lessons, data = course(tmp_path), tmp_path / "data"
    learner_file(data, "add", SOLUTION)
    proc = subprocess.Popen(homl("check", "demo", lessons=lessons, data_dir=data),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
                            env=subprocess_env())
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 128 + signal.SIGPIPE
    assert stderr == ""
    assert attempts(data) == [("demo/add", "PASS")]
    assert processes_mentioning(str(data)) == []
    seen(f"nothing on stderr, exit {proc.returncode}; the result is saved before it is "
         "printed, so the attempt is recorded")


# ----------------------------------------------------------------- encodings


def ascii_output(tmp_path: Path, env: dict[str, str]) -> tuple[str, str]:
    """``homl-tui runs`` (a finished run: its mark is ✔) and ``homl-tui check`` (an error
    message with ``é ✔``) where stdout cannot encode beyond ASCII; their stdouts."""
    lessons, data = course(tmp_path), tmp_path / "data"
    learner_file(data, "add", SHOUTER)
    store = Store(data / "homl.sqlite3")
    run_id = store.runs.create("demo/add", "run", status="running")
    store.runs.finish(run_id, "ok", message="Finished.")
    store.close()
    probe = run([sys.executable, "-c", "import sys; print(sys.stdout.encoding)"], env=env)
    assert probe.stdout.strip().lower() in ("ascii", "ansi_x3.4-1968"), probe.stdout
    runs = run(homl("runs", lessons=lessons, data_dir=data), env=env)
    check = run(homl("check", "demo", lessons=lessons, data_dir=data), env=env)
    assert (runs.returncode, check.returncode) == (0, 1), runs.stderr + check.stderr
    for proc in (runs, check):
        assert "Traceback" not in proc.stderr and "UnicodeEncodeError" not in proc.stderr
        assert proc.stdout.isascii()
    assert re.search(r"#1 +\+ ok", runs.stdout), runs.stdout
    assert "caf\\xe9 \\u2714" in check.stdout
    return runs.stdout.splitlines()[0], check.stdout.splitlines()[0]


@pytest.mark.fault("Headless", "an ASCII output encoding (`PYTHONIOENCODING=ascii`)")
def test_ascii_output_encoding_degrades_marks_and_escapes_the_rest(tmp_path, seen):
    runs, check = ascii_output(tmp_path, subprocess_env(PYTHONIOENCODING="ascii"))
    seen(f"ASCII marks and escapes, no UnicodeEncodeError: `{plain(runs)}`; `{plain(check)}`")


@pytest.mark.fault("Headless", "the C locale without UTF-8 mode (`LC_ALL=C PYTHONUTF8=0`)")
def test_c_locale_degrades_marks_and_escapes_the_rest(tmp_path, seen):
    env = subprocess_env(LC_ALL="C", LANG="C", PYTHONUTF8="0")
    env.pop("PYTHONIOENCODING", None)
    runs, check = ascii_output(tmp_path, env)
    seen(f"ASCII marks and escapes, no UnicodeEncodeError: `{plain(runs)}`; `{plain(check)}`")


@pytest.mark.fault("Headless", "control characters in a message, into `--junit-xml`")
def test_a_learner_message_with_control_characters_keeps_the_junit_report_valid(tmp_path, seen):
    lessons, data = course(tmp_path), tmp_path / "data"
    learner_file(data, "add", SHOUTER.replace("café", "caf\\x00é"))
    report = tmp_path / "report.xml"
    proc = run(homl("check", "demo", "--junit-xml", str(report), lessons=lessons, data_dir=data))
    assert proc.returncode == 1, proc.stderr
    error = ET.parse(report).getroot().find("testsuite/testcase/error")
    assert error is not None and error.get("type") == "ERROR"
    assert "\ufffd[31mcaf\ufffdé ✔\ufffd[0m" in error.get("message")
    seen(f"the XML stays valid; characters XML cannot hold become U+FFFD: "
         f"`{plain(error.get('message'))}`")


# ------------------------------------------------------------- concurrency


@pytest.mark.fault("Headless", "4 `homl-tui check` at once on one data folder")
def test_parallel_checks_on_one_data_folder_lose_nothing(tmp_path, seen):
    exercises = ("add", "add2")
    lessons, data = course(tmp_path, exercises), tmp_path / "data"
    for exercise in exercises:
        learner_file(data, exercise, SOLUTION)
    procs = [subprocess.Popen(homl("check", "demo", "-j", "1", lessons=lessons, data_dir=data),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              cwd=ROOT, env=subprocess_env()) for _ in range(4)]
    outputs = [proc.communicate(timeout=120) for proc in procs]
    for proc, (stdout, stderr) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, stdout + stderr
        assert stderr == ""  # no "database is locked", no "progress not saved"
        assert stdout.strip().endswith("2 passed, 0 failed")
    recorded = attempts(data)
    assert sorted(recorded) == sorted([(f"demo/{ex}", "PASS") for ex in exercises] * 4)
    with contextlib.closing(sqlite3.connect(data / "homl.sqlite3")) as db:
        assert db.execute("PRAGMA quick_check").fetchone() == ("ok",)
        assert db.execute("SELECT sum(attempts) FROM progress").fetchone() == (8,)
    seen(f"every process exits 0 with nothing on stderr; all {len(recorded)} attempts are in "
         "the database (4 processes x 2 exercises), which checks ok")


# ------------------------------------------------------------ runs and data


@pytest.mark.fault("Headless", "`homl-tui runs stop` on a run whose process is gone")
def test_stopping_a_run_whose_process_was_killed_says_it_was_lost(tmp_path, seen):
    lessons, data = course(tmp_path), tmp_path / "data"
    learner_file(data, "add", SOLUTION + "\nif __name__ == '__main__':\n"
                                         "    import time\n    time.sleep(60)\n")
    started = run(homl("run", "demo/add", "--detach", lessons=lessons, data_dir=data))
    assert started.returncode == 0 and "run #1 started" in started.stdout, started.stderr
    store = Store(data / "homl.sqlite3")
    try:
        deadline = time.monotonic() + 30
        while not (info := store.runs.get(1)).device_name:  # the worker is up and watching
            assert time.monotonic() < deadline, f"the run stayed {info.status}"
            time.sleep(0.05)
        os.kill(info.pid, signal.SIGKILL)  # the supervisor; its worker ends itself
        while not process_gone(info.worker_pid):
            assert time.monotonic() < deadline, "the worker outlived its supervisor"
            time.sleep(0.05)
        proc = run(homl("runs", "stop", "1", lessons=lessons, data_dir=data))
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.startswith("run #1 already ended (lost): The run's process ended "
                                      "without recording how it ended")
        assert store.runs.get(1).status == "lost"
    finally:
        store.close()
        for pid in processes_mentioning(str(data)):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    seen(f"exit 0: `{proc.stdout.strip()}`")


def _drop_file_capabilities() -> None:
    """In the child, before exec: give up what lets root ignore file permissions."""
    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop, dac_override, dac_read_search, fowner = 24, 1, 2, 3
    for capability in (dac_override, dac_read_search, fowner):
        if libc.prctl(pr_capbset_drop, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@pytest.fixture
def read_only(tmp_path):
    """Make a folder read-only; returns the extra ``subprocess`` arguments that make it
    read-only to the command too (root ignores permissions unless it drops capabilities)."""
    folders: list[Path] = []

    def make(folder: Path) -> dict:
        for path in [folder, *folder.rglob("*")]:
            path.chmod(path.stat().st_mode & ~0o222)
        folders.append(folder)
        return {"preexec_fn": _drop_file_capabilities} if os.geteuid() == 0 else {}

    yield make
    for folder in folders:
        for path in [folder, *folder.rglob("*")]:
            path.chmod(path.stat().st_mode | 0o200)


@pytest.mark.fault("Headless", "`homl-tui run --detach` with a read-only data folder")
def test_detaching_a_run_into_a_read_only_data_folder_is_a_usage_error(tmp_path, read_only,
                                                                        seen):
    lessons = course(tmp_path)
    fresh, used = tmp_path / "fresh", tmp_path / "used"
    fresh.mkdir()
    learner_file(used, "add", SOLUTION)
    Store(used / "homl.sqlite3").close()
    errors = []
    for data in (fresh, used):
        try:
            proc = run(homl("run", "demo/add", "--detach", lessons=lessons, data_dir=data),
                       **read_only(data))
        except subprocess.SubprocessError as exc:
            pytest.skip(f"cannot make a folder read-only to root here: {exc}")
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert proc.stderr.startswith(f"error: --detach needs to record the run in {data}: ")
        assert proc.stderr.rstrip().endswith("Run without --detach, or choose another data "
                                             "folder with --data-dir.")
        assert "Traceback" not in proc.stderr
        assert len(proc.stderr.splitlines()) == 1 and proc.stdout == ""
        errors.append(proc.stderr.strip().replace(str(data), "DATA"))
    seen(f"exit 2, one line: `{errors[0]}`")
