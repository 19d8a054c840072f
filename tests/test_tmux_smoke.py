"""Smoke test: the real ``homl-tui`` in a detached tmux terminal at 80x24, driven by keys."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "tests" / "fixtures" / "lessons"
SOLUTION = LESSONS / "01_demo" / "exercises" / "add" / "solution.py"


class Tmux:
    """One tmux server of our own (its own socket), one session."""

    def __init__(self, socket: str) -> None:
        self.base = ["tmux", "-L", socket, "-f", os.devnull]

    def __call__(self, *args: str) -> str:
        done = subprocess.run(
            [*self.base, *args], capture_output=True, text=True, timeout=10, check=False
        )
        return done.stdout

    def screen(self) -> str:
        return self("capture-pane", "-p", "-t", "smoke")

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} did not appear; the screen was:\n{self.screen()}")


def _command(data_dir: Path) -> str:
    script = Path(sys.executable).with_name("homl-tui")
    app = [str(script)] if script.exists() else [sys.executable, "-m", "homl_tui"]
    args = [*app, "--data-dir", str(data_dir), "--lessons", str(LESSONS)]
    return f"cd {shlex.quote(str(ROOT))} && {shlex.join(args)}; echo EXIT=$?; sleep 30"


def test_open_a_lesson_check_it_and_quit(tmp_path: Path) -> None:
    tmux = Tmux(f"homl-smoke-{os.getpid()}")
    data_dir = tmp_path / "data"
    env_home = f"HOML_TUI_HOME={shlex.quote(str(tmp_path / 'home'))}"
    try:
        tmux(
            "new-session",
            "-d",
            "-s",
            "smoke",
            "-x",
            "80",
            "-y",
            "24",
            f"env {env_home} sh -c {shlex.quote(_command(data_dir))}",
        )
        screen = tmux.wait_for("A demo lesson")
        assert "Part I" in screen and "A streaming demo" in screen
        time.sleep(0.5)
        tmux("send-keys", "-t", "smoke", "Enter")
        tmux.wait_for("Exercise 1: Add two arrays")
        tmux("send-keys", "-t", "smoke", "C-t")
        tmux.wait_for("NOT_ATTEMPTED")
        workspace_file = data_dir / "workspace" / "demo" / "add.py"
        workspace_file.write_text(SOLUTION.read_text(encoding="utf-8"), encoding="utf-8")
        screen = tmux.wait_for("✔ 1. Add two arrays")  # re-checked on save, and passed
        assert "PASS ✔" in screen
        tmux("send-keys", "-t", "smoke", "C-q")
        tmux.wait_for("EXIT=0")
    finally:
        tmux("kill-server")
