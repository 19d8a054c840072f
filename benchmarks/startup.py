"""Start-up time: ``homl-tui`` to its first interactive screen vs a bare Textual app, same run.

Both run in an 80x24 pseudo-terminal; the clock stops when a text of the first
screen is drawn (for homl-tui: the catalog's first lesson title). Runs alternate
(bare, homl, bare, homl, ...) so that machine noise hits both; the medians are
compared. A warm-up run of each comes first: it creates homl-tui's store and
course cache in a temporary data folder, as a learner's first start does.

Textual's modules are byte-compiled (pip compiles a package when it installs it);
homl-tui's are too, first, unless ``--no-compile``: an editable install run with
PYTHONDONTWRITEBYTECODE set would otherwise compile homl-tui's source at every
start, which no installed copy does. The ``__pycache__`` files written are
hash-checked against their source, so an edited module is never run stale.

    python benchmarks/startup.py [--runs 7] [--no-compile]

Last line: ``startup_ratio: R (target: <= 1.3)``: homl-tui's median over the bare
app's; 1.3 means homl-tui takes 30 % longer to show its first screen.
"""

from __future__ import annotations

import argparse
import compileall
import py_compile
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


def compile_package() -> None:
    """Byte-compile homl_tui as an installation does (hash-checked, so never stale)."""
    compileall.compile_dir(ROOT / "homl_tui", quiet=1,
                           invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-compile", action="store_true",
                        help="do not byte-compile homl_tui first")
    args = parser.parse_args()
    if not args.no_compile:
        compile_package()
    python = sys.executable
    bare_cmd = [python, str(ROOT / "benchmarks" / "bare_textual_app.py")]
    with tempfile.TemporaryDirectory() as home:
        homl_cmd = [python, "-m", "homl_tui", "--data-dir", home]
        time_to_text(homl_cmd, HOML_MARKER)  # warm-up: store, course cache, OS caches
        time_to_text(bare_cmd, BARE_MARKER)
        bare, homl = [], []
        for _ in range(args.runs):
            bare.append(time_to_text(bare_cmd, BARE_MARKER))
            homl.append(time_to_text(homl_cmd, HOML_MARKER))
    b, h = statistics.median(bare), statistics.median(homl)
    runs = {"bare Textual app": bare, "homl-tui catalog": homl}
    for name, times in runs.items():
        listed = ", ".join(f"{t * 1000:.0f}" for t in times)
        print(f"{name}: median {statistics.median(times) * 1000:.0f} ms  (runs: {listed})")
    print(f"homl_tui byte-compiled first: {'no' if args.no_compile else 'yes'}")
    print(f"startup_ratio: {h / b:.2f} (target: <= 1.3)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
