"""A run survives its terminal: start training in homl-tui under tmux, kill the terminal
mid-run (the app gets SIGHUP, as when an SSH connection drops), start homl-tui again and
re-attach to the live curves; then stop the run from the shell."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import stop_active_runs, wait_until
from test_tmux_smoke import LESSONS, ROOT, Tmux

from homl_tui.store import Store

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

TRAIN = LESSONS / "02_stream" / "exercises" / "train" / "solution.py"


def _app_command(data_dir: Path) -> str:
    script = Path(sys.executable).with_name("homl-tui")
    app = [str(script)] if script.exists() else [sys.executable, "-m", "homl_tui"]
    args = [*app, "--data-dir", str(data_dir), "--lessons", str(LESSONS)]
    return f"cd {shlex.quote(str(ROOT))} && {shlex.join(args)}; echo EXIT=$?; sleep 30"


def _start(tmux: Tmux, data_dir: Path, home: Path) -> None:
    env = f"env HOML_TUI_HOME={shlex.quote(str(home))} HOML_TEST_TRAIN_S=90"
    tmux("new-session", "-d", "-s", "smoke", "-x", "80", "-y", "24",
         f"{env} sh -c {shlex.quote(_app_command(data_dir))}")


def _open_train_exercise(tmux: Tmux) -> None:
    tmux.wait_for("A streaming demo")
    time.sleep(0.5)
    tmux("send-keys", "-t", "smoke", "C-p")
    time.sleep(0.5)
    tmux("send-keys", "-t", "smoke", "-l", "long training run")
    tmux.wait_for("Open exercise: A long training run")
    tmux("send-keys", "-t", "smoke", "Enter")


def _app_pids(data_dir: Path) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            args = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if str(data_dir).encode() in args and b"runs" not in args:
            found.append(int(entry))
    return found


def _points(store: Store, run_id: int) -> int:
    return len(store.runs.metrics(run_id).get("train_loss", []))


def test_a_run_survives_a_killed_terminal_and_the_app_reattaches(tmp_path: Path) -> None:
    data_dir, home = tmp_path / "data", tmp_path / "home"
    workspace = data_dir / "workspace" / "stream"
    workspace.mkdir(parents=True)
    (workspace / "train.py").write_text(TRAIN.read_text(encoding="utf-8"), encoding="utf-8")
    first = Tmux(f"homl-detach-a-{os.getpid()}")
    second = Tmux(f"homl-detach-b-{os.getpid()}")
    store = None
    try:
        _start(first, data_dir, home)
        _open_train_exercise(first)
        first.wait_for("Exercise 2/2")
        first("send-keys", "-t", "smoke", "C-r")
        first.wait_for("training from step 0")
        store = Store(data_dir / "homl.sqlite3")
        (run,) = store.runs.list()
        wait_until(lambda: _points(store, run.id) >= 5, 20, "5 points of the run")

        first("kill-server")  # the terminal is gone: the app gets SIGHUP
        deadline = time.monotonic() + 15
        while _app_pids(data_dir) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _app_pids(data_dir) == [], "the app did not exit on hang-up"
        before = _points(store, run.id)
        wait_until(lambda: _points(store, run.id) > before, 20,
                   "new points (the run stopped recording with its terminal?)")
        assert store.runs.get(run.id).status == "running"

        _start(second, data_dir, home)
        screen = second.wait_for("Still going: #1 stream/train")
        _open_train_exercise(second)
        screen = second.wait_for("Following run #1")
        screen = second.wait_for("train_loss")
        assert "running" in screen
        recorded = _points(store, run.id)
        wait_until(lambda: _points(store, run.id) > recorded, 20,
                   "new points after re-attaching (the run is no longer live?)")

        stop = subprocess.run(
            [sys.executable, "-m", "homl_tui", "--data-dir", str(data_dir), "runs", "stop",
             str(run.id)], capture_output=True, text=True, timeout=30, cwd=ROOT)
        assert stop.returncode == 0 and "cancelled" in stop.stdout, stop.stderr
        second.wait_for("finished (cancelled)")
        second("send-keys", "-t", "smoke", "C-q")
        second.wait_for("EXIT=0")
    finally:
        first("kill-server")
        second("kill-server")
        if store is not None:
            stop_active_runs(store)
            store.close()
