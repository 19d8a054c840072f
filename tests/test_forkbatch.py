"""The fork server that lint uses: same outcomes as a fresh interpreter, limits still hold."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT, dedent, make_spec, subprocess_env, write_exercise

from homl_tui.runtime.runner import Run


def forkbatch(specs) -> list[dict]:
    proc = subprocess.run(
        [sys.executable, "-m", "homl_tui.runtime.forkbatch"],
        input=json.dumps([json.loads(s.to_json()) for s in specs]), capture_output=True,
        text=True, timeout=120, cwd=ROOT, env=subprocess_env(OMP_NUM_THREADS="1"),
    )
    assert proc.returncode == 0, proc.stderr
    results = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["index"] for r in results] == list(range(len(specs)))
    return results


def _files(tmp_path, sources: dict[str, str]):
    exercise = write_exercise(tmp_path / "ex")
    paths = {}
    for name, source in sources.items():
        path = tmp_path / f"{name}.py"
        path.write_text(dedent(source), encoding="utf-8")
        paths[name] = path
    return exercise, paths


def test_outcomes_and_messages_match_a_fresh_interpreter(tmp_path):
    exercise, paths = _files(tmp_path, {
        "right": "def double(x):\n    return x + x\n",
        "wrong": "def double(x):\n    return 3 * x\n",
        "broken": "def double(x):\n    return x.nope\n",
    })
    specs = [make_spec(exercise / "solution.py", exercise),
             make_spec(exercise / "starter.py", exercise)]
    specs += [make_spec(path, exercise) for path in paths.values()]
    forked = forkbatch(specs)
    for spec, got in zip(specs, forked, strict=True):
        fresh = Run(spec).start().wait()
        assert got["outcome"] == fresh.outcome.value, spec.target
        assert got["message"] == fresh.message
    assert [r["outcome"] for r in forked] == ["PASS", "NOT_ATTEMPTED", "PASS", "FAIL", "ERROR"]


def test_a_hanging_check_is_stopped_at_its_time_limit_with_its_children(tmp_path):
    marker = tmp_path / "child.pid"
    exercise, paths = _files(tmp_path, {"hang": f"""
        import subprocess, time
        child = subprocess.Popen(["sleep", "300"])
        open({str(marker)!r}, "w").write(str(child.pid))
        time.sleep(300)
    """})
    started = time.monotonic()
    (result,) = forkbatch([make_spec(paths["hang"], exercise, timeout_s=2.0)])
    assert result["status"] == "timeout" and result["outcome"] == "TIMEOUT"
    assert time.monotonic() - started < 30
    child = int(marker.read_text())
    time.sleep(0.2)
    stat = Path(f"/proc/{child}/stat")
    assert not stat.exists() or stat.read_text().split()[2] == "Z"  # gone, or a zombie


def test_a_run_that_dies_is_reported_and_the_next_one_still_runs(tmp_path):
    exercise, paths = _files(tmp_path, {"dies": "import os\nos._exit(3)\n"})
    results = forkbatch([make_spec(paths["dies"], exercise),
                         make_spec(exercise / "solution.py", exercise)])
    assert results[0]["status"] == "crashed" and "exited with status 3" in results[0]["message"]
    assert results[1]["outcome"] == "PASS"
