"""Start-up time: ``homl-tui`` to its first interactive screen vs a bare Textual app, same run.

Both run in an 80x24 pseudo-terminal; the clock stops when a text of the first
screen is drawn. Runs alternate (bare, homl, bare, homl, ...) so that machine
noise hits both; the medians are compared.

    python benchmarks/startup.py [--runs 7]

Last line: ``startup_ratio: R (target: <= 1.3)``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _pty import time_to_text  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

def first_lesson_title() -> str:
    """The catalog is interactive once its first lesson is drawn."""
    sys.path.insert(0, str(ROOT))
    from homl_tui.course import load_course
    from homl_tui.paths import default_lessons_dir

    return load_course(default_lessons_dir()).lessons[0].title


HOML_MARKER = first_lesson_title()
BARE_MARKER = "bare-textual-ready"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    python = sys.executable
    bare_cmd = [python, str(ROOT / "benchmarks" / "bare_textual_app.py")]
    with tempfile.TemporaryDirectory() as home:
        homl_cmd = [python, "-m", "homl_tui", "--data-dir", home]
        time_to_text(homl_cmd, HOML_MARKER)  # warm-up: creates the store, fills OS caches
        time_to_text(bare_cmd, BARE_MARKER)
        bare, homl = [], []
        for _ in range(args.runs):
            bare.append(time_to_text(bare_cmd, BARE_MARKER))
            homl.append(time_to_text(homl_cmd, HOML_MARKER))
    b, h = statistics.median(bare), statistics.median(homl)
    print(f"bare Textual app: median {b * 1000:.0f} ms  (runs: {', '.join(f'{t * 1000:.0f}' for t in bare)})")
    print(f"homl-tui catalog: median {h * 1000:.0f} ms  (runs: {', '.join(f'{t * 1000:.0f}' for t in homl)})")
    print(f"startup_ratio: {h / b:.2f} (target: <= 1.3)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
