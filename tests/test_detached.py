"""Detached runs (homl_tui.runtime.detached, supervisor): real processes, a real SQLite store.

A detached run is recorded by its own supervisor process; these tests start real runs of the
fixture lesson ``stream`` and check that they are recorded, outlive whoever started them,
ignore hang-ups, can be stopped, are found lost when killed, and resume from checkpoints.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import (
    FIXTURE_LESSONS,
    ROOT,
    process_gone,
    stop_active_runs,
    subprocess_env,
    wait_until,
)

from homl_tui.course import load_course
from homl_tui.grading import spec_for
from homl_tui.runtime.detached import (
    Follower,
    forget_run,
    is_supervising,
    reap,
    resume_run,
    start_detached,
    stop_run,
)
from homl_tui.store import Store


@pytest.fixture
def store(tmp_path) -> Iterator[Store]:
    store = Store(tmp_path / "homl.sqlite3")
    yield store
    stop_active_runs(store)
    store.close()


@pytest.fixture
def course():
    return load_course(FIXTURE_LESSONS)


def exercise(course, key: str):
    return course.select(key)[0]


def start_training(store, course, tmp_path, monkeypatch, seconds: float = 20.0, **kw):
    monkeypatch.setenv("HOML_TEST_TRAIN_S", str(seconds))
    ex = exercise(course, "stream/train")
    spec = spec_for(ex, ex.solution, "run", checkpoint_dir=tmp_path / "checkpoints", **kw)
    return start_detached(store, ex.key, spec, log_dir=tmp_path / "runs")


def follow_to_end(store, run_id, timeout: float = 60.0):
    follower = Follower(store, run_id)
    metrics, output = [], []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        batch = follower.poll()
        metrics += batch.metrics
        output += [text for _, text in batch.output]
        if batch.end is not None:
            return batch.end, metrics, "".join(output)
        time.sleep(0.05)
    raise AssertionError("the run did not end")


def test_a_detached_check_records_its_verdict_metrics_and_the_attempt(store, course, tmp_path):
    ex = exercise(course, "stream/descend")
    run_id, proc = start_detached(store, ex.key, spec_for(ex, ex.solution, "check"),
                                  code_hash="h1")
    end, metrics, _ = follow_to_end(store, run_id)
    assert end["status"] == "ok" and end["outcome"] == "PASS"
    assert len(metrics) == 40
    info = store.runs.get(run_id)
    assert (info.status, info.outcome, info.pid) == ("ok", "PASS", proc.pid)
    assert (info.device, info.device_name) == ("cpu", "CPU")
    assert store.progress(ex.key).passed and store.progress(ex.key).attempts == 1
    assert proc.wait(timeout=10) == 0


def test_a_run_outlives_the_process_that_started_it(store, course, tmp_path):
    """The starter (think: the app, or an SSH session's shell) exits at once; the run goes on."""
    code = f"""
        import sys
        from pathlib import Path
        from homl_tui.course import load_course
        from homl_tui.grading import spec_for
        from homl_tui.runtime.detached import start_detached
        from homl_tui.store import Store
        ex = load_course(Path({str(FIXTURE_LESSONS)!r})).select("stream/train")[0]
        store = Store(Path({str(store.path)!r}))
        run_id, proc = start_detached(store, ex.key, spec_for(ex, ex.solution, "run"))
        print(run_id, proc.pid)
    """
    starter = subprocess.run([sys.executable, "-c", "\n".join(line[8:] for line in code.splitlines())],
                             capture_output=True, text=True, timeout=60, cwd=ROOT,
                             env=subprocess_env(HOML_TEST_TRAIN_S="2"))
    assert starter.returncode == 0, starter.stderr
    run_id, pid = map(int, starter.stdout.split())
    wait_until(lambda: not store.runs.get(run_id).active, 60, "the orphaned run to finish")
    info = store.runs.get(run_id)
    assert info.status == "ok", info.message
    metrics = store.runs.metrics(run_id)
    assert len(metrics["train_loss"]) == 200 and len(metrics["val_loss"]) == 20
    assert info.config == {"lr": 0.05, "steps": 200}


def test_a_hang_up_does_not_stop_a_run(store, course, tmp_path, monkeypatch):
    run_id, proc = start_training(store, course, tmp_path, monkeypatch, seconds=2.5)
    wait_until(lambda: store.runs.get(run_id).status == "running", what="running")
    os.kill(proc.pid, signal.SIGHUP)
    info = store.runs.get(run_id)
    os.killpg(info.worker_pid, signal.SIGHUP)  # the worker's own session is not a terminal's
    end, metrics, _ = follow_to_end(store, run_id)
    assert end["status"] == "ok"
    assert len([m for m in metrics if m[1] == "train_loss"]) == 200


def test_stopping_a_run_cancels_it_and_ends_its_processes(store, course, tmp_path, monkeypatch):
    run_id, proc = start_training(store, course, tmp_path, monkeypatch)
    wait_until(lambda: store.runs.metrics(run_id).get("train_loss"), what="first metrics")
    worker = store.runs.get(run_id).worker_pid
    info = stop_run(store, run_id)
    assert info.status == "cancelled" and not info.active
    assert proc.wait(timeout=10) == 0
    wait_until(lambda: process_gone(worker), 10, "the worker to end")
    end, _, _ = follow_to_end(store, run_id)
    assert end["status"] == "cancelled"


def test_a_killed_supervisor_takes_its_worker_along_and_the_run_is_found_lost(
        store, course, tmp_path, monkeypatch):
    run_id, proc = start_training(store, course, tmp_path, monkeypatch)
    wait_until(lambda: store.runs.metrics(run_id).get("train_loss"), what="first metrics")
    worker = store.runs.get(run_id).worker_pid
    proc.kill()
    proc.wait(timeout=10)
    wait_until(lambda: process_gone(worker), 10, "the orphaned worker to end")
    assert not is_supervising(proc.pid, run_id)
    assert reap(store) == [run_id]
    info = store.runs.get(run_id)
    assert info.status == "lost" and "ended without recording" in info.message
    end, _, _ = follow_to_end(store, run_id)
    assert end["status"] == "lost"


def test_a_follower_notices_a_lost_run_by_itself(store, course, tmp_path, monkeypatch):
    run_id, proc = start_training(store, course, tmp_path, monkeypatch)
    follower = Follower(store, run_id)
    wait_until(lambda: follower.poll().metrics, what="first metrics")
    proc.kill()
    proc.wait(timeout=10)
    end = wait_until(lambda: follower.poll().end, 10, "the follower's end")
    assert end["status"] == "lost"


def test_a_stopped_run_resumes_from_its_checkpoint(store, course, tmp_path, monkeypatch):
    run_id, _ = start_training(store, course, tmp_path, monkeypatch, seconds=12)
    wait_until(lambda: store.runs.get(run_id).checkpoint, 60, "a checkpoint")
    stop_run(store, run_id)
    stopped_at = max(s for s, _ in store.runs.metrics(run_id)["train_loss"])
    checkpoint = json.loads(json.dumps(store.runs.state(run_id)["checkpoint"]))
    assert checkpoint["step"] in (50, 100, 150) and checkpoint["step"] <= stopped_at + 1

    assert Path(store.runs.get(run_id).checkpoint).parent.name == f"run-{run_id}"
    monkeypatch.setenv("HOML_TEST_TRAIN_S", "1")
    resumed, _ = resume_run(store, store.runs.get(run_id))
    end, metrics, output = follow_to_end(store, resumed)
    assert end["status"] == "ok"
    assert f"training from step {checkpoint['step']}" in output
    assert min(s for s, name, _ in metrics if name == "train_loss") == checkpoint["step"]
    assert store.runs.state(resumed)["resumed"]["step"] == checkpoint["step"]
    steps = [s for s, _ in store.runs.metrics(resumed)["train_loss"]]
    assert steps == list(range(200))  # the parent's curve up to the checkpoint, then this run's


def test_a_fresh_run_ignores_an_old_checkpoint(store, course, tmp_path, monkeypatch):
    folder = tmp_path / "checkpoints" / "run-1"  # where run 1 will checkpoint
    folder.mkdir(parents=True)
    (folder / "checkpoint.pt").write_bytes(b"not read unless resuming")
    run_id, _ = start_training(store, course, tmp_path, monkeypatch, seconds=0.5)
    end, _, output = follow_to_end(store, run_id)
    assert end["status"] == "ok" and "training from step 0" in output


def test_a_run_whose_spec_is_unreadable_ends_with_an_error_not_a_hang(store, course):
    run_id = store.runs.create("stream/train", "run", spec="{not json")
    proc = subprocess.run([sys.executable, "-m", "homl_tui.runtime.supervisor", str(store.path),
                           str(run_id)], capture_output=True, text=True, timeout=60, cwd=ROOT,
                          env=subprocess_env())
    assert proc.returncode == 1
    info = store.runs.get(run_id)
    assert info.status == "error" and "could not read this run's settings" in info.message


def test_resume_refuses_runs_without_a_checkpoint_and_forget_removes_it(
        store, course, tmp_path, monkeypatch):
    ex = exercise(course, "stream/descend")
    plain, _ = start_detached(store, ex.key, spec_for(ex, ex.solution, "run"))
    follow_to_end(store, plain)
    with pytest.raises(ValueError, match="saved no checkpoint"):
        resume_run(store, store.runs.get(plain))
    run_id, _ = start_training(store, course, tmp_path, monkeypatch, seconds=1)
    follow_to_end(store, run_id)
    folder = Path(store.runs.get(run_id).checkpoint).parent
    assert folder.is_dir()
    assert forget_run(store, run_id) and not folder.exists()
    assert store.runs.get(run_id) is None
