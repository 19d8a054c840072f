"""The headless ``homl-tui`` command, run as a real subprocess."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from conftest import DEMO_LESSON, FIXTURE_LESSONS, ROOT, subprocess_env

from homl_tui import __version__

ANSI = "\x1b["


def cli(*args: str, lessons=FIXTURE_LESSONS, data_dir=None, timeout: float = 120,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "homl_tui", *args]
    if lessons is not None:
        command += ["--lessons", str(lessons)]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT,
                          env=env or subprocess_env())


def listing(data_dir, lessons=FIXTURE_LESSONS) -> dict:
    proc = cli("list", "--json", lessons=lessons, data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def exercise_entry(data: dict, lesson: str = "demo", exercise: str = "add") -> dict:
    (entry,) = [e for item in data["lessons"] if item["id"] == lesson for e in item["exercises"]
                if e["id"] == exercise]
    return entry


# ------------------------------------------------------------------ general


def test_version_prints_the_package_version():
    proc = cli("--version", lessons=None)
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"homl-tui {__version__}"


def test_help_lists_the_subcommands():
    proc = cli("--help", lessons=None)
    assert proc.returncode == 0
    for command in ("list", "check", "lint", "run"):
        assert command in proc.stdout


def test_unknown_subcommand_is_a_usage_error():
    proc = cli("frobnicate", lessons=None)
    assert proc.returncode == 2
    assert "invalid choice" in proc.stderr


# --------------------------------------------------------------------- list


def test_list_json_describes_every_lesson_and_exercise(tmp_path):
    data = listing(tmp_path)
    assert data["problems"] == []
    (lesson,) = [lesson for lesson in data["lessons"] if lesson["id"] == "demo"]
    assert {k: lesson[k] for k in ("id", "title", "part", "chapter")} == {
        "id": "demo", "title": "A demo lesson", "part": 1, "chapter": "test fixture"}
    assert lesson["exercises"] == [{
        "id": "add", "title": "Add two arrays", "status": "not started",
        "path": str(tmp_path / "workspace" / "demo" / "add.py")}]


def test_list_plain_shows_parts_lessons_and_exercise_status(tmp_path):
    proc = cli("list", data_dir=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("Part I")
    assert any(line.split()[:3] == ["demo", "A", "demo"] for line in lines)
    assert any(line.split()[:3] == ["demo/add", "not", "started"] for line in lines)
    assert ANSI not in proc.stdout


def test_list_reports_broken_lessons_as_problems(tmp_path):
    lessons = tmp_path / "lessons"
    shutil.copytree(DEMO_LESSON, lessons / "01_demo")
    (lessons / "02_broken").mkdir()
    (lessons / "02_broken" / "lesson.toml").write_text('id = "broken"\n')
    data = listing(tmp_path / "data", lessons=lessons)
    assert [lesson["id"] for lesson in data["lessons"]] == ["demo"]
    (problem,) = data["problems"]
    assert "02_broken" in problem and "[part]" in problem and "required" in problem


def test_options_may_come_before_the_subcommand(tmp_path):
    command = [sys.executable, "-m", "homl_tui", "--lessons", str(FIXTURE_LESSONS),
               "--data-dir", str(tmp_path), "list", "--json"]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=ROOT,
                          env=subprocess_env())
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert "demo" in [lesson["id"] for lesson in data["lessons"]]
    assert exercise_entry(data)["path"] == str(tmp_path / "workspace" / "demo" / "add.py")


# -------------------------------------------------------------------- check


def test_check_on_a_fresh_workspace_is_not_attempted_and_exits_1(tmp_path):
    proc = cli("check", "demo", data_dir=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "NOT_ATTEMPTED" in proc.stdout and "demo/add" in proc.stdout
    assert proc.stdout.rstrip().endswith("0 passed, 1 failed")
    workspace_file = tmp_path / "workspace" / "demo" / "add.py"
    assert workspace_file.read_text() == (DEMO_LESSON / "exercises/add/starter.py").read_text()
    assert exercise_entry(listing(tmp_path))["status"] == "not attempted"


def test_check_passes_after_the_learner_writes_the_solution(tmp_path):
    cli("check", "demo", data_dir=tmp_path)
    path = exercise_entry(listing(tmp_path))["path"]
    with open(path, "w") as fh:
        fh.write("def add(a, b):\n    return b + a\n")
    proc = cli("check", "demo/add", data_dir=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[0].startswith("PASS")
    assert proc.stdout.rstrip().endswith("1 passed, 0 failed")
    assert exercise_entry(listing(tmp_path))["status"] == "passed"


def test_check_shows_the_fail_message_and_records_it(tmp_path):
    workspace_file = tmp_path / "workspace" / "demo" / "add.py"
    workspace_file.parent.mkdir(parents=True)
    workspace_file.write_text("def add(a, b):\n    return a - b\n")
    proc = cli("check", "demo", data_dir=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.startswith("FAIL") and "is off by" in proc.stdout
    assert exercise_entry(listing(tmp_path))["status"] == "fail"


def test_check_error_shows_the_trimmed_traceback(tmp_path):
    workspace_file = tmp_path / "workspace" / "demo" / "add.py"
    workspace_file.parent.mkdir(parents=True)
    workspace_file.write_text("def add(a, b):\n    return a + c\n")
    proc = cli("check", "demo/add", data_dir=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.startswith("ERROR") and "NameError" in proc.stdout
    assert 'File "add.py", line 2, in add' in proc.stdout
    assert "homl_tui" not in proc.stdout


def test_check_solutions_exits_0(tmp_path):
    proc = cli("check", "--solutions", data_dir=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "PASS          demo/add" in proc.stdout
    assert ", 0 failed" in proc.stdout
    assert not (tmp_path / "workspace").exists()


def test_check_writes_junit_xml_with_the_right_counts(tmp_path):
    report = tmp_path / "reports" / "check.xml"
    proc = cli("check", "demo", "--junit-xml", str(report), data_dir=tmp_path / "data")
    assert proc.returncode == 1
    root = ET.parse(report).getroot()
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "demo"
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("1", "1", "0")
    (case,) = suite.findall("testcase")
    assert case.get("name") == "add[workspace]"
    failure = case.find("failure")
    assert failure is not None and failure.get("type") == "NOT_ATTEMPTED"


def test_check_solutions_junit_xml_has_no_failures(tmp_path):
    report = tmp_path / "check.xml"
    proc = cli("check", "demo", "--solutions", "--junit-xml", str(report), data_dir=tmp_path)
    assert proc.returncode == 0
    suite = ET.parse(report).getroot().find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("1", "0", "0")
    assert suite.find("testcase").find("failure") is None


def test_check_junit_xml_counts_learner_errors_as_errors(tmp_path):
    workspace_file = tmp_path / "workspace" / "demo" / "add.py"
    workspace_file.parent.mkdir(parents=True)
    workspace_file.write_text("def add(a, b):\n    return a + c\n")
    report = tmp_path / "check.xml"
    cli("check", "demo", "--junit-xml", str(report), data_dir=tmp_path)
    suite = ET.parse(report).getroot().find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("1", "0", "1")
    error = suite.find("testcase").find("error")
    assert error.get("type") == "ERROR" and "NameError" in error.text


@pytest.mark.parametrize("target, words", [
    ("nosuch", "no lesson named 'nosuch'"),
    ("demo/nosuch", "lesson 'demo' has no exercise 'nosuch'"),
])
def test_unknown_target_exits_2_with_a_clear_message(tmp_path, target, words):
    for command in ("check", "lint"):
        proc = cli(command, target, data_dir=tmp_path)
        assert proc.returncode == 2
        assert f"error: {words}" in proc.stderr
        assert "Traceback" not in proc.stderr


def test_output_is_plain_when_stdout_is_not_a_terminal(tmp_path):
    proc = cli("check", "--solutions", data_dir=tmp_path)
    assert ANSI not in proc.stdout and ANSI not in proc.stderr
    proc = cli("check", "demo", data_dir=tmp_path)
    assert ANSI not in proc.stdout and ANSI not in proc.stderr


def test_unwritable_data_dir_still_checks_and_says_progress_is_not_saved(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    proc = cli("check", "demo", data_dir=blocker / "data")
    assert proc.returncode == 1
    assert proc.stdout.startswith("NOT_ATTEMPTED")
    assert "progress will not be saved" in proc.stderr


# --------------------------------------------------------------------- lint


def test_lint_passes_on_the_fixture(tmp_path):
    proc = cli("lint", data_dir=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.rstrip().endswith(", 0 failed")
    assert ANSI not in proc.stdout


def test_lint_runs_solution_starter_and_every_mutant(tmp_path):
    proc = cli("lint", "demo", data_dir=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "demo/add solution -> PASS" in proc.stdout
    assert "demo/add starter -> NOT_ATTEMPTED" in proc.stdout
    assert "demo/add mutant:subtract -> FAIL" in proc.stdout
    assert "demo/add mutant:first_only -> FAIL" in proc.stdout
    assert proc.stdout.rstrip().endswith("4 passed, 0 failed")


def test_lint_isolated_gives_the_same_verdicts_as_the_default_fork_server(tmp_path):
    def verdicts(*extra):
        proc = cli("lint", "demo", "-v", *extra, data_dir=tmp_path)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return sorted(line.split(" (")[0] for line in proc.stdout.splitlines() if "->" in line)

    forked, isolated = verdicts(), verdicts("--isolated")
    assert forked == isolated and len(forked) == 4


@pytest.fixture
def copied_lessons(tmp_path):
    lessons = tmp_path / "lessons"
    shutil.copytree(DEMO_LESSON, lessons / "01_demo")
    return lessons


def test_lint_fails_when_a_mutant_is_actually_correct(tmp_path, copied_lessons):
    mutant = copied_lessons / "01_demo" / "exercises" / "add" / "mutants" / "subtract.py"
    mutant.write_text("def add(a, b):\n    return a + b\n")
    proc = cli("lint", lessons=copied_lessons, data_dir=tmp_path / "data")
    assert proc.returncode == 1
    assert "BAD" in proc.stdout and "mutant:subtract" in proc.stdout
    assert "mutant must FAIL, got PASS" in proc.stderr


def test_lint_fails_when_a_mutant_message_misses_its_expectation(tmp_path, copied_lessons):
    toml = copied_lessons / "01_demo" / "lesson.toml"
    toml.write_text(toml.read_text().replace('expect = "shape"', 'expect = "learning rate"'))
    proc = cli("lint", lessons=copied_lessons, data_dir=tmp_path / "data")
    assert proc.returncode == 1
    assert "should contain 'learning rate'" in proc.stderr


def test_lint_fails_when_the_solution_is_wrong(tmp_path, copied_lessons):
    solution = copied_lessons / "01_demo" / "exercises" / "add" / "solution.py"
    solution.write_text("def add(a, b):\n    return a + undefined_name\n")
    proc = cli("lint", lessons=copied_lessons, data_dir=tmp_path / "data")
    assert proc.returncode == 1
    assert "reference solution must PASS" in proc.stderr


def test_lint_fails_when_the_exercise_is_not_placed_in_the_text(tmp_path, copied_lessons):
    (copied_lessons / "01_demo" / "lesson.md").write_text("# A demo lesson\n\nNo marker.\n")
    proc = cli("lint", lessons=copied_lessons, data_dir=tmp_path / "data")
    assert proc.returncode == 1
    assert "must be placed exactly once" in proc.stderr


def test_lint_reports_a_broken_manifest(tmp_path, copied_lessons):
    toml = copied_lessons / "01_demo" / "lesson.toml"
    toml.write_text(toml.read_text().replace('hints = ["Python', 'hints = ["Python\'s"]\nx = ["'))
    proc = cli("lint", lessons=copied_lessons, data_dir=tmp_path / "data")
    assert proc.returncode == 1
    assert "lesson.toml" in proc.stderr and "hints" in proc.stderr


def test_lint_of_one_lesson_only_warns_about_another_lessons_problem(tmp_path, copied_lessons):
    broken = copied_lessons / "02_broken"
    broken.mkdir()
    (broken / "lesson.toml").write_text('id = "broken"\ntitle = 3\n')
    proc = cli("lint", "demo", lessons=copied_lessons, data_dir=tmp_path / "data")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "warning: another lesson has a problem" in proc.stderr and "02_broken" in proc.stderr
    assert proc.stdout.rstrip().endswith(", 0 failed")
    proc = cli("lint", lessons=copied_lessons, data_dir=tmp_path / "data")
    assert proc.returncode == 1 and "02_broken" in proc.stderr


def test_lint_junit_xml_counts_bad_jobs_as_failures(tmp_path, copied_lessons):
    mutant = copied_lessons / "01_demo" / "exercises" / "add" / "mutants" / "subtract.py"
    mutant.write_text("def add(a, b):\n    return a + b\n")
    report = tmp_path / "lint.xml"
    cli("lint", "--junit-xml", str(report), lessons=copied_lessons, data_dir=tmp_path / "data")
    suite = ET.parse(report).getroot().find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "1", "0")
    failed = [c.get("name") for c in suite.findall("testcase") if c.find("failure") is not None]
    assert failed == ["add[mutant:subtract]"]


# ---------------------------------------------------------------------- run


def test_run_streams_the_learners_output_and_metrics(tmp_path):
    workspace_file = tmp_path / "workspace" / "demo" / "add.py"
    workspace_file.parent.mkdir(parents=True)
    workspace_file.write_text(
        "from homl_tui import report\n\n"
        "def add(a, b):\n    return a + b\n\n"
        "if __name__ == '__main__':\n"
        "    report.metric(step=0, loss=0.5)\n"
        "    print('sum is', add(2, 3))\n")
    proc = cli("run", "demo/add", data_dir=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "sum is 5" in proc.stdout
    assert "[step 0] loss=0.5" in proc.stdout
    assert proc.stderr.startswith("ok: Finished.")


def test_run_thins_a_flood_of_metrics_but_prints_the_last_one(tmp_path):
    workspace_file = tmp_path / "workspace" / "demo" / "add.py"
    workspace_file.parent.mkdir(parents=True)
    workspace_file.write_text(
        "from homl_tui import report\n\n"
        "def add(a, b):\n    return a + b\n\n"
        "if __name__ == '__main__':\n"
        "    for step in range(5000):\n"
        "        report.metric(step=step, loss=1.0 / (step + 1))\n")
    proc = cli("run", "demo/add", data_dir=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in proc.stdout.splitlines() if line.startswith("[step")]
    assert 1 <= len(lines) < 50
    assert lines[0] == "[step 0] loss=1"
    assert lines[-1] == "[step 4999] loss=0.0002"


def test_run_needs_one_exercise(tmp_path, copied_lessons):
    lesson = copied_lessons / "01_demo"
    shutil.copytree(lesson / "exercises" / "add", lesson / "exercises" / "add2")
    toml = (lesson / "lesson.toml").read_text()
    exercises = toml[toml.index("[[exercises]]"):]
    (lesson / "lesson.toml").write_text(toml + "\n" + exercises.replace('id = "add"',
                                                                       'id = "add2"'))
    proc = cli("run", "demo", lessons=copied_lessons, data_dir=tmp_path / "data")
    assert proc.returncode == 2
    assert "name one exercise as LESSON/EXERCISE" in proc.stderr


def test_naming_a_lesson_that_failed_to_load_says_why(tmp_path, copied_lessons):
    (copied_lessons / "01_demo" / "lesson.md").unlink()
    proc = cli("lint", "demo", lessons=copied_lessons, data_dir=tmp_path / "data")
    assert proc.returncode == 2
    assert "failed to load" in proc.stderr and "lesson.md" in proc.stderr


@pytest.mark.parametrize(("cores", "parallel", "threads"),
                         [(2, 1, 1), (2, 2, 1), (16, 1, 15), (16, 4, 3), (1, 1, 1), (8, 16, 1)])
def test_runs_leave_a_core_free_and_share_the_rest(cores, parallel, threads):
    from homl_tui.cli import _threads

    assert _threads(parallel, cores) == threads
