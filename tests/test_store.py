"""Learner state (homl_tui.store): progress in real SQLite files, exercise files on disk."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest
from conftest import FIXTURE_LESSONS, ROOT, dedent, subprocess_env

from homl_tui.course import load_course
from homl_tui.store import Store, StoreError, Workspace, atomic_write


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "homl.sqlite3")
    yield store
    store.close()


@pytest.fixture
def exercise():
    return load_course(FIXTURE_LESSONS).select("demo/add")[0]


# ------------------------------------------------------------------ database


def test_database_is_in_wal_mode(tmp_path, store):
    store.record_attempt("demo/add", "FAIL")
    with sqlite3.connect(tmp_path / "homl.sqlite3") as other:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert (tmp_path / "homl.sqlite3-wal").exists()


def test_store_creates_missing_parent_folders(tmp_path):
    store = Store(tmp_path / "a" / "b" / "homl.sqlite3")
    store.record_attempt("demo/add", "PASS")
    assert store.progress("demo/add").passed
    store.close()


def test_unknown_exercise_has_empty_progress(store):
    progress = store.progress("demo/nothing")
    assert (progress.last_outcome, progress.passed, progress.attempts) == ("", False, 0)
    assert (progress.hint_level, progress.revealed) == (0, False)


def test_record_attempt_counts_attempts_and_keeps_the_last_outcome(store):
    store.record_attempt("demo/add", "NOT_ATTEMPTED")
    store.record_attempt("demo/add", "FAIL", "is off by 1")
    progress = store.progress("demo/add")
    assert progress.attempts == 2
    assert progress.last_outcome == "FAIL"
    assert not progress.passed
    assert [(o, m) for o, m, _ in store.attempts("demo/add")] == [
        ("NOT_ATTEMPTED", ""), ("FAIL", "is off by 1")]


def test_passed_is_sticky_after_a_later_failure(store):
    store.record_attempt("demo/add", "PASS")
    store.record_attempt("demo/add", "ERROR", "NameError")
    progress = store.progress("demo/add")
    assert progress.passed
    assert progress.last_outcome == "ERROR"
    assert progress.attempts == 2


def test_progress_is_kept_per_exercise(store):
    store.record_attempt("demo/add", "PASS")
    store.record_attempt("demo/sub", "FAIL")
    everything = store.all_progress()
    assert set(everything) == {"demo/add", "demo/sub"}
    assert everything["demo/add"].passed and not everything["demo/sub"].passed


def test_hint_level_only_goes_up(store):
    store.use_hint("demo/add", 2)
    store.use_hint("demo/add", 1)
    assert store.progress("demo/add").hint_level == 2
    store.use_hint("demo/add", 3)
    assert store.progress("demo/add").hint_level == 3


def test_hints_and_reveals_show_up_without_any_attempt(store):
    store.use_hint("demo/add", 1)
    store.reveal_solution("demo/other")
    everything = store.all_progress()
    assert everything["demo/add"].hint_level == 1 and everything["demo/add"].attempts == 0
    assert everything["demo/other"].revealed and everything["demo/other"].hint_level == 0


def test_reveal_is_recorded_once_and_stays(store):
    store.reveal_solution("demo/add")
    store.reveal_solution("demo/add")
    store.record_attempt("demo/add", "PASS")
    assert store.progress("demo/add").revealed


def test_progress_survives_reopening(tmp_path):
    first = Store(tmp_path / "homl.sqlite3")
    first.record_attempt("demo/add", "PASS")
    first.use_hint("demo/add", 2)
    first.close()
    second = Store(tmp_path / "homl.sqlite3")
    progress = second.progress("demo/add")
    assert progress.passed and progress.hint_level == 2 and progress.attempts == 1
    assert second.notice == ""
    second.close()


# ------------------------------------------------------- damaged and unusable


def moved_aside(tmp_path, name: str = "homl.sqlite3") -> list:
    return sorted(p for p in tmp_path.iterdir() if p.name.startswith(f"{name}.corrupt-")
                  and not p.name.endswith(("-wal", "-shm")))


def test_garbage_file_is_moved_aside_with_a_notice_and_a_fresh_db_works(tmp_path):
    db = tmp_path / "homl.sqlite3"
    garbage = b"this is not a database\x00\xff" * 500
    db.write_bytes(garbage)
    store = Store(db)
    assert "moved aside" in store.notice and "exercise files are untouched" in store.notice
    (aside,) = moved_aside(tmp_path)
    assert aside.name in store.notice
    assert aside.read_bytes() == garbage
    store.record_attempt("demo/add", "PASS")
    assert store.progress("demo/add").passed
    store.close()


@pytest.mark.parametrize("keep", [50, 4096, 0.5])
def test_truncated_db_is_moved_aside_and_a_fresh_one_works(tmp_path, keep):
    db = tmp_path / "homl.sqlite3"
    original = Store(db)
    for i in range(200):
        original.record_attempt(f"demo/e{i}", "FAIL", "x" * 500)
    original.close()
    data = db.read_bytes()
    assert len(data) > 8192
    db.write_bytes(data[: int(len(data) * keep) if isinstance(keep, float) else keep])
    store = Store(db)
    assert "damaged" in store.notice
    assert len(moved_aside(tmp_path)) == 1
    assert store.all_progress() == {}
    store.record_attempt("demo/add", "FAIL")
    assert store.progress("demo/add").attempts == 1
    store.close()


def test_empty_file_is_a_valid_new_database(tmp_path):
    db = tmp_path / "homl.sqlite3"
    db.write_bytes(b"")
    store = Store(db)
    assert store.notice == ""
    assert moved_aside(tmp_path) == []
    store.close()


def test_unusable_folder_raises_store_error_with_a_readable_message(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("I am a file, not a folder")
    with pytest.raises(StoreError) as info:
        Store(blocker / "data" / "homl.sqlite3")
    message = str(info.value)
    assert message.startswith(f"Cannot create {blocker / 'data'}")
    assert "Not a directory" in message
    assert blocker.read_text() == "I am a file, not a folder"


def test_db_path_that_is_a_folder_raises_store_error(tmp_path):
    (tmp_path / "homl.sqlite3").mkdir()
    with pytest.raises(StoreError) as info:
        Store(tmp_path / "homl.sqlite3")
    assert "homl.sqlite3" in str(info.value)
    assert (tmp_path / "homl.sqlite3").is_dir()


def test_database_from_a_newer_version_is_refused_and_left_alone(tmp_path):
    db = tmp_path / "homl.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version=99")
    with pytest.raises(StoreError) as info:
        Store(db)
    assert "newer homl-tui" in str(info.value)
    assert moved_aside(tmp_path) == []


CONCURRENT_WRITER = """
    import sys
    from pathlib import Path
    from homl_tui.store import Store

    store = Store(Path(sys.argv[1]))
    for i in range(int(sys.argv[3])):
        store.record_attempt("demo/add", "FAIL", f"{sys.argv[2]}-{i}")
    store.close()
"""


@pytest.mark.slow
def test_concurrent_record_attempt_from_two_processes_loses_nothing(tmp_path):
    db = tmp_path / "homl.sqlite3"
    Store(db).close()
    count = 150
    procs = [subprocess.Popen([sys.executable, "-c", dedent(CONCURRENT_WRITER), str(db), name,
                               str(count)], cwd=ROOT, env=subprocess_env(),
                              stderr=subprocess.PIPE, text=True)
             for name in ("a", "b")]
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    store = Store(db)
    assert store.progress("demo/add").attempts == 2 * count
    messages = {m for _, m, _ in store.attempts("demo/add")}
    assert messages == {f"{n}-{i}" for n in "ab" for i in range(count)}
    store.close()


# ------------------------------------------------------------------ files


def test_atomic_write_creates_folders_and_leaves_no_temp_file(tmp_path):
    path = tmp_path / "deep" / "er" / "file.py"
    atomic_write(path, "x = 1\r\ny = 2\n")
    assert path.read_bytes() == b"x = 1\r\ny = 2\n"
    assert os.listdir(path.parent) == ["file.py"]


def test_atomic_write_replaces_existing_content(tmp_path):
    path = tmp_path / "file.py"
    atomic_write(path, "old")
    atomic_write(path, "new")
    assert path.read_text() == "new"
    assert os.listdir(tmp_path) == ["file.py"]


def test_atomic_write_failing_mid_write_keeps_the_old_file_and_no_temp_file(tmp_path):
    path = tmp_path / "file.py"
    path.write_text("old text\n")
    with pytest.raises(UnicodeEncodeError):
        atomic_write(path, "new text that cannot be encoded: \ud800")
    assert path.read_text() == "old text\n"
    assert os.listdir(tmp_path) == ["file.py"]


def test_atomic_write_failing_at_fsync_keeps_the_old_file_and_no_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "file.py"
    path.write_text("old text\n")

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        atomic_write(path, "new text\n" * 1000)
    assert path.read_text() == "old text\n"
    assert os.listdir(tmp_path) == ["file.py"]


def test_workspace_path_is_lesson_folder_and_exercise_file(tmp_path, exercise):
    assert Workspace(tmp_path).path(exercise) == tmp_path / "demo" / "add.py"


def test_ensure_creates_the_file_from_the_starter(tmp_path, exercise):
    workspace = Workspace(tmp_path / "ws")
    path = workspace.ensure(exercise)
    assert path.read_text() == exercise.starter.read_text()
    assert not workspace.is_modified(exercise)


def test_ensure_never_overwrites_the_learners_file(tmp_path, exercise):
    workspace = Workspace(tmp_path)
    path = workspace.ensure(exercise)
    path.write_text("def add(a, b):\n    return a + b\n")
    assert workspace.ensure(exercise) == path
    assert path.read_text() == "def add(a, b):\n    return a + b\n"
    assert workspace.read(exercise) == "def add(a, b):\n    return a + b\n"
    assert workspace.is_modified(exercise)


def test_write_replaces_the_learners_file(tmp_path, exercise):
    workspace = Workspace(tmp_path)
    workspace.ensure(exercise)
    workspace.write(exercise, "draft\n")
    assert workspace.read(exercise) == "draft\n"


def test_reset_puts_the_starter_back_and_keeps_a_backup(tmp_path, exercise):
    workspace = Workspace(tmp_path)
    workspace.write(exercise, "my work\n")
    path = workspace.reset(exercise)
    assert path.read_text() == exercise.starter.read_text()
    assert (tmp_path / "demo" / "add.py.bak").read_text() == "my work\n"
    assert not workspace.is_modified(exercise)


def test_reset_without_a_file_creates_the_starter_and_no_backup(tmp_path, exercise):
    workspace = Workspace(tmp_path)
    workspace.reset(exercise)
    assert sorted(os.listdir(tmp_path / "demo")) == ["add.py"]


def test_is_modified_is_false_when_the_file_does_not_exist(tmp_path, exercise):
    assert not Workspace(tmp_path).is_modified(exercise)
    assert not (tmp_path / "demo").exists()
