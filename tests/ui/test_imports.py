"""The UI process never imports ML libraries, and start-up does not import plotext."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import LESSONS, STREAM_SOLUTION

FORBIDDEN = ("torch", "sklearn", "gymnasium", "numpy")

SESSION = """
import asyncio, json, sys, time
from homl_tui.ui.launch import create_app

async def main():
    app = create_app({lessons!r}, {data!r}, "auto")
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_lesson("stream")
        await pilot.pause()
        screen = app.screen
        screen.editor.load_text(open({solution!r}).read())
        await pilot.press("ctrl+r")
        deadline = time.monotonic() + 20
        while screen.last_session is None and time.monotonic() < deadline:
            await pilot.pause(0.05)
        await pilot.press("f4", "f5")
        await pilot.pause()
        assert screen.metrics.series, "no metrics arrived"

asyncio.run(main())
print(json.dumps(sorted(m for m in {forbidden!r} if m in sys.modules)))
"""


def _python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_importing_the_app_loads_no_ml_library_and_no_plotext() -> None:
    code = (
        "import sys, json; import homl_tui.ui.launch, homl_tui.ui.app; "
        f"print(json.dumps(sorted(m for m in {FORBIDDEN + ('plotext',)!r} "
        "if m in sys.modules)))"
    )
    assert json.loads(_python(code)) == []


def test_a_full_run_with_charts_loads_no_ml_library_in_the_ui_process(tmp_path: Path) -> None:
    code = SESSION.format(
        lessons=str(LESSONS),
        data=str(tmp_path / "data"),
        solution=str(STREAM_SOLUTION),
        forbidden=FORBIDDEN,
    )
    assert json.loads(_python(code)) == []
