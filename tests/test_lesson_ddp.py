"""The scaling/ddp check against torchrun's rare exit-time abort of a finished rank.

Gloo can abort a rank with "terminate called without an active exception" as it exits, after
its work is saved (seen in CI on a loaded machine). The check's ranks leave with os._exit once
train_worker returns, past that teardown; a launch the abort still spoils is run once more.
These tests make rank 1 abort that way on purpose, inside train_worker, with the real torchrun
and the learner's file in a real workspace.
"""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT, subprocess_env

SOLUTION = ROOT / "lessons" / "33_scaling" / "exercises" / "ddp" / "solution.py"
ABORT = '''
    marker = Path(__file__).with_name("aborts.txt")
    if rank == 1 and {condition}:
        with open(marker, "a") as fh:
            fh.write("x")
        sys.stderr.write("terminate called without an active exception\\n")
        sys.stderr.flush()
        os.abort()
'''


def check_with_abort(tmp_path, condition: str) -> tuple[subprocess.CompletedProcess, int]:
    code = SOLUTION.read_text(encoding="utf-8")
    end = "    dist.destroy_process_group()\n"
    assert code.count(end) == 1
    code = code.replace(end, end + ABORT.format(condition=condition))
    workspace = tmp_path / "workspace" / "scaling"
    workspace.mkdir(parents=True)
    (workspace / "ddp.py").write_text(code, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "homl_tui", "check", "scaling/ddp", "--data-dir", str(tmp_path),
         "--device", "cpu"],
        capture_output=True, text=True, timeout=300, cwd=ROOT, env=subprocess_env())
    marker = workspace / "aborts.txt"
    return proc, len(marker.read_text()) if marker.exists() else 0


def test_a_launch_spoiled_by_an_exit_time_abort_is_run_again_and_passes(tmp_path):
    proc, aborts = check_with_abort(tmp_path, "not marker.exists()")
    assert aborts == 1
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("PASS")


def test_an_abort_in_both_launches_fails_with_a_plain_message(tmp_path):
    proc, aborts = check_with_abort(tmp_path, "True")
    assert aborts == 2
    assert proc.returncode == 1
    assert proc.stdout.startswith("FAIL")
    assert "failed twice" in proc.stdout and "destroy_process_group" in proc.stdout
    assert "Traceback" not in proc.stdout
