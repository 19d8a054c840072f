"""``homl-tui run --detach`` and ``homl-tui runs``: the run history from the shell, real processes."""

from __future__ import annotations

import json
import time

from conftest import subprocess_env
from test_cli import cli


def runs_json(data_dir) -> list[dict]:
    proc = cli("runs", "--json", data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def wait_for_status(data_dir, run_id: int, done, timeout: float = 60.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        run = next(r for r in runs_json(data_dir) if r["id"] == run_id)
        if done(run):
            return run
        assert time.monotonic() < deadline, f"run stayed {run['status']}"
        time.sleep(0.2)


def test_runs_says_when_there_are_none(tmp_path):
    proc = cli("runs", data_dir=tmp_path)
    assert proc.returncode == 0 and "No runs yet" in proc.stdout


def test_run_in_the_foreground_is_recorded_with_its_last_metrics(tmp_path):
    proc = cli("run", "stream/descend", "--solution", data_dir=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "w = 2.9996" in proc.stdout and "[step 39] loss=" in proc.stdout
    assert "ok: Finished." in proc.stderr
    (run,) = runs_json(tmp_path)
    assert (run["exercise"], run["mode"], run["status"], run["kind"]) == (
        "stream/descend", "run", "ok", "reference")
    assert run["last"]["loss"] < 1e-6
    shown = cli("runs", "show", str(run["id"]), data_dir=tmp_path)
    assert "loss" in shown.stdout and "device: CPU" in shown.stdout


def test_a_detached_run_is_listed_stopped_and_forgotten(tmp_path):
    env = subprocess_env(HOML_TEST_TRAIN_S="30")
    proc = cli("run", "stream/train", "--solution", "--detach", data_dir=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "run #1 started" in proc.stdout
    wait_for_status(tmp_path, 1, lambda r: r["status"] == "running" and r["last"])
    listing = cli("runs", data_dir=tmp_path).stdout
    assert "▶ running" in listing and "lr=0.05 steps=200" in listing and "1 still going" in listing
    assert cli("runs", "rm", "1", data_dir=tmp_path).returncode == 1  # still going
    stopped = cli("runs", "stop", "1", data_dir=tmp_path)
    assert stopped.returncode == 0 and "cancelled" in stopped.stdout
    assert cli("runs", "stop", "1", data_dir=tmp_path).stdout.startswith("run #1 already ended")
    assert cli("runs", "rm", "1", data_dir=tmp_path).returncode == 0
    assert runs_json(tmp_path) == []


def test_following_a_finished_run_replays_it_and_exits_with_its_status(tmp_path):
    assert cli("run", "stream/descend", "--solution", data_dir=tmp_path).returncode == 0
    proc = cli("runs", "follow", "1", data_dir=tmp_path)
    assert proc.returncode == 0
    assert "w = 2.9996" in proc.stdout and "[step 39]" in proc.stdout


def test_resume_continues_a_stopped_run_from_its_checkpoint(tmp_path):
    env = subprocess_env(HOML_TEST_TRAIN_S="12")
    assert cli("run", "stream/train", "--solution", "--detach", data_dir=tmp_path,
               env=env).returncode == 0
    wait_for_status(tmp_path, 1, lambda r: r["checkpoint"])
    assert cli("runs", "stop", "1", data_dir=tmp_path).returncode == 0
    proc = cli("runs", "resume", "1", data_dir=tmp_path, env=subprocess_env(HOML_TEST_TRAIN_S="1"))
    assert proc.returncode == 0, proc.stderr
    assert "run #2 resumes run #1" in proc.stderr and "training from step " in proc.stdout
    assert "training from step 0" not in proc.stdout
    resumed = next(r for r in runs_json(tmp_path) if r["id"] == 2)
    assert resumed["resumed_from"] == 1 and resumed["status"] == "ok"


def test_runs_commands_explain_bad_ids(tmp_path):
    proc = cli("runs", "show", "42", data_dir=tmp_path)
    assert proc.returncode == 2 and "no run #42" in proc.stderr
    proc = cli("runs", "stop", data_dir=tmp_path)
    assert proc.returncode == 2 and "needs one run id" in proc.stderr
    assert cli("run", "stream/descend", "--solution", data_dir=tmp_path).returncode == 0
    proc = cli("runs", "resume", "1", data_dir=tmp_path)
    assert proc.returncode == 2 and "saved no checkpoint" in proc.stderr
