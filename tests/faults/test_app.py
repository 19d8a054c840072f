"""Faults of the app itself: crashes mid-save, damaged or unwritable data, broken lessons,
odd terminals and signals. Each test injects one fault into the real thing (subprocesses
killed with SIGKILL, real SQLite files, the Textual pilot, the real app under tmux) and
records what the learner sees."""

from __future__ import annotations

import contextlib
import inspect
import json
import os
import random
import re
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FIXTURE_LESSONS, ROOT, dedent, stop_active_runs, subprocess_env, wait_until
from test_tmux_detach import TRAIN, _app_command, _app_pids, _open_train_exercise, _points
from test_tmux_smoke import Tmux
from ui.conftest import open_lesson, wait_for

from homl_tui.course import load_course
from homl_tui.outcome import Outcome
from homl_tui.store import Store, Workspace
from homl_tui.store.workspace import STALE_TEMP_S, sweep_temp_files
from homl_tui.ui.draft import DraftFile
from homl_tui.ui.launch import create_app
from homl_tui.ui.screens.lesson import LessonScreen
from homl_tui.ui.screens.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen

DEMO_SOLUTION = FIXTURE_LESSONS / "01_demo" / "exercises" / "add" / "solution.py"
needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOML_TUI_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("HOML_TUI_LESSONS", raising=False)


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    """The learner's data folder; runs a test leaves going are stopped after it."""
    folder = tmp_path / "data"
    yield folder
    with contextlib.suppress(Exception):
        stop_active_runs(folder / "homl.sqlite3")


def _learner_file(data_dir: Path, text: str, key: str = "demo/add") -> Path:
    """The learner's workspace file for ``key``, holding ``text``."""
    lesson, exercise = key.split("/")
    path = data_dir / "workspace" / lesson / f"{exercise}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _notes(app) -> list[str]:
    return [n.message for n in app._notifications]


def _screen(app) -> LessonScreen:
    assert isinstance(app.screen, LessonScreen)
    return app.screen


async def _check(pilot, timeout: float = 30.0) -> tuple[Outcome | None, str]:
    """Check the open exercise (ctrl+t); the outcome and the text of the result panel."""
    screen = _screen(pilot.app)
    await pilot.press("ctrl+t")
    await wait_for(pilot, lambda: screen.last_session is not None and not screen.running,
                   timeout, what="the check to end")
    await pilot.pause()
    result = screen.output.result
    return result.outcome, str(result.render())


# ----------------------------------------------------------------- kill -9 mid-write

DRAFT_SIZE = 2_000_000
KILLS = 20


def draft_text(version: int, size: int = DRAFT_SIZE) -> str:
    """Version ``version`` of a large draft; its first and last lines name the version."""
    line = f"x_{version} = {version}  # a large draft, padded\n"
    return f"# version {version}\n" + line * (size // len(line)) + f"# end {version}\n"


DRAFT_WRITER = f"DRAFT_SIZE = {DRAFT_SIZE}\n" + inspect.getsource(draft_text) + """
import sys
from pathlib import Path
from homl_tui.course import load_course
from homl_tui.store import Workspace
from homl_tui.ui.draft import DraftFile

exercise = load_course(Path(sys.argv[1])).select("demo/add")[0]
draft = DraftFile(Workspace(Path(sys.argv[2])), exercise)
version, size = int(sys.argv[3]), int(sys.argv[4])
while True:  # save new versions as the app's autosave does, until killed
    version += 1
    draft.save(draft_text(version, size))
    print(version, flush=True)
"""


def _kill_at_random(args: list[str], rng: random.Random) -> int:
    """Start a writer, let it finish one write, SIGKILL it at a random instant after;
    return the last write it reported done."""
    proc = subprocess.Popen([sys.executable, "-c", *args], stdout=subprocess.PIPE, text=True,
                            cwd=ROOT, env=subprocess_env())
    assert proc.stdout is not None
    first = proc.stdout.readline()
    time.sleep(rng.uniform(0.0, 0.05))
    proc.kill()
    rest = proc.stdout.read()
    proc.wait(10)
    done = [int(word) for word in (first + rest).split()]
    assert done, "the writer died before its first write"
    return done[-1]


@pytest.mark.fault("The app", "kill -9 during a draft autosave")
def test_a_draft_save_killed_at_any_instant_leaves_the_old_or_the_new_text(tmp_path, seen):
    workspace = tmp_path / "workspace"
    path = workspace / "demo" / "add.py"
    rng = random.Random(6)
    version = 0
    mid_write = 0
    for _ in range(KILLS):
        temps_before = {p.name for p in path.parent.glob("*.tmp")} if path.exists() else set()
        saved = _kill_at_random([DRAFT_WRITER, str(FIXTURE_LESSONS), str(workspace),
                                 str(version), str(DRAFT_SIZE)], rng)
        text = path.read_text(encoding="utf-8")
        on_disk = int(text.split("\n", 1)[0].removeprefix("# version "))
        assert on_disk in (saved, saved + 1), f"saved {saved} but the file holds {on_disk}"
        assert text == draft_text(on_disk), f"version {on_disk} is truncated or mixed"
        mid_write += bool({p.name for p in path.parent.glob("*.tmp")} - temps_before)
        version = max(saved, on_disk)
    entries = sorted(os.listdir(path.parent))
    temps = [name for name in entries if name.endswith(".tmp")]
    assert [name for name in entries if name not in temps] == ["add.py"]
    assert all(name.startswith(".add.py.") for name in temps)  # hidden, never a .py or .draft
    exercise = load_course(FIXTURE_LESSONS).select("demo/add")[0]
    reopened = DraftFile(Workspace(workspace), exercise)
    assert reopened.path == path and reopened.text == text
    assert mid_write > 0, "no kill landed in the middle of a write: make the drafts larger"
    # The next start sweeps the leftovers once they are old; a young one may be another
    # homl-tui's write in progress and stays.
    leftovers = sorted(path.parent.glob(".add.py.*.tmp"))
    assert leftovers
    hour_ago = time.time() - 2 * STALE_TEMP_S
    for temp in leftovers:
        os.utime(temp, (hour_ago, hour_ago))
    young = path.parent / ".add.py.young.tmp"
    young.write_text("being written")
    assert sorted(sweep_temp_files(tmp_path)) == leftovers
    assert sorted(os.listdir(path.parent)) == [young.name, "add.py"]
    assert path.read_text(encoding="utf-8") == text
    seen(f"{KILLS} kills ({mid_write} in the middle of writing a 2 MB draft): the file was "
         "always a complete old or new version; the unfinished temporary files are hidden "
         "(.add.py.*.tmp), never opened as the draft, and swept at the next start once an "
         "hour old")


PROGRESS_WRITER = """
    import sys
    from pathlib import Path
    from homl_tui.store import Store, Workspace

    store = Store(Path(sys.argv[1]))
    attempt = int(sys.argv[2])
    while True:
        attempt += 1
        store.record_attempt("demo/add", "FAIL", f"attempt {attempt}", "hash", 0.1)
        print(attempt, flush=True)
"""


@pytest.mark.fault("The app", "kill -9 during a progress write")
def test_a_progress_write_killed_at_any_instant_leaves_a_sound_database(data_dir, seen):
    db = data_dir / "homl.sqlite3"
    Store(db).close()
    rng = random.Random(7)
    recorded = 0
    for _ in range(KILLS):
        saved = _kill_at_random([dedent(PROGRESS_WRITER), str(db), str(recorded)], rng)
        store = Store(db)
        try:
            assert store.notice == ""
            messages = [message for _, message, _ in store.attempts("demo/add")]
            assert store.progress("demo/add").attempts == len(messages)
        finally:
            store.close()
        numbers = sorted(int(message.split()[-1]) for message in messages)
        assert numbers[:saved] == list(range(1, saved + 1)), "a committed attempt was lost"
        assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) - saved in (0, 1)
        recorded = len(numbers)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    app = create_app(FIXTURE_LESSONS, data_dir, "auto")
    try:
        assert app.notes == [] and app.context.store is not None
        assert app.context.progress()["demo/add"].attempts == recorded
    finally:
        app.context.store.close()
    seen(f"{KILLS} kills in the middle of recording attempts: the store opened every time "
         f"with no notice, quick_check ok, all {recorded} committed attempts there")


# ----------------------------------------------------------------- damaged database


def _progress_then(data_dir: Path, damage) -> tuple[bytes, bytes]:
    """Record progress and the learner's work, close, then ``damage`` the database file;
    return the damaged database's bytes and the learner file's bytes."""
    store = Store(data_dir / "homl.sqlite3")
    for number in range(300):
        store.record_attempt(f"demo/e{number}", "FAIL", "not yet " * 40)
    store.record_attempt("demo/add", "PASS")
    store.close()
    work = _learner_file(data_dir, DEMO_SOLUTION.read_text(encoding="utf-8") + "# mine\n")
    damage(data_dir / "homl.sqlite3")
    return (data_dir / "homl.sqlite3").read_bytes(), work.read_bytes()


def _corrupt(db: Path) -> None:
    """Scribble over the database's pages after the first (its header and schema survive)."""
    data = bytearray(db.read_bytes())
    noise = random.Random(3).randbytes(len(data) - 4096)
    data[4096:] = noise
    db.write_bytes(bytes(data))


def _truncate(db: Path) -> None:
    db.write_bytes(db.read_bytes()[: db.stat().st_size // 2])


async def _damaged_store_is_moved_aside(data_dir: Path, damage, seen) -> None:
    damaged, work = _progress_then(data_dir, damage)
    app = create_app(FIXTURE_LESSONS, data_dir, "auto")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        (note,) = [n for n in _notes(app) if "moved aside" in n]
        (aside,) = data_dir.glob("homl.sqlite3.corrupt-*[0-9]")
        assert aside.name in note and aside.read_bytes() == damaged  # kept, not deleted
        assert (data_dir / "workspace" / "demo" / "add.py").read_bytes() == work
        await open_lesson(pilot, "demo", "add")
        assert _screen(app).editor.text.endswith("# mine\n")
        outcome, _ = await _check(pilot)
        assert outcome is Outcome.PASS
    store = Store(data_dir / "homl.sqlite3")
    try:
        assert store.notice == "" and store.progress("demo/add").passed  # the fresh store works
    finally:
        store.close()
    seen(f"notification: {note.replace(aside.name, 'homl.sqlite3.corrupt-<time>')}")


@pytest.mark.anyio
@pytest.mark.fault("The app", "a corrupt SQLite file")
async def test_a_corrupt_database_is_moved_aside_with_a_message_in_the_app(data_dir, seen):
    await _damaged_store_is_moved_aside(data_dir, _corrupt, seen)


@pytest.mark.anyio
@pytest.mark.fault("The app", "a truncated SQLite file")
async def test_a_truncated_database_is_moved_aside_with_a_message_in_the_app(data_dir, seen):
    await _damaged_store_is_moved_aside(data_dir, _truncate, seen)


# --------------------------------------------------------- unwritable data folder


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[str]:
    """Make ``folder`` read-only for this process; yield how.

    Permissions do not stop root, so as root the folder is bind-mounted read-only on itself
    (skipped where mounting is not allowed).
    """
    if os.geteuid() != 0:
        paths = [folder, *folder.rglob("*")]
        modes = {path: path.stat().st_mode for path in paths}
        for path in paths:
            path.chmod(modes[path] & ~0o222)
        try:
            yield "permissions without write access (chmod a-w)"
        finally:
            for path in paths:
                path.chmod(modes[path])
        return
    mounts = [["mount", "--bind", str(folder), str(folder)],
              ["mount", "-o", "remount,bind,ro", str(folder)]]
    for number, command in enumerate(mounts):
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            if number:
                subprocess.run(["umount", str(folder)], check=False)
            pytest.skip(f"running as root and cannot mount read-only: {done.stderr.strip()}")
    try:
        yield "a read-only bind mount"
    finally:
        subprocess.run(["umount", str(folder)], check=True)


@pytest.mark.anyio
@pytest.mark.fault("The app", "a read-only data directory")
async def test_a_read_only_data_folder_leaves_the_app_checking_lessons(
        tmp_path, data_dir, monkeypatch, seen):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the app keeps unsaved files
    store = Store(data_dir / "homl.sqlite3")
    store.record_attempt("demo/add", "NOT_ATTEMPTED")
    store.close()
    starter = (FIXTURE_LESSONS / "01_demo" / "exercises" / "add" / "starter.py").read_text()
    work = _learner_file(data_dir, starter)
    with read_only(data_dir) as how:
        app = create_app(FIXTURE_LESSONS, data_dir, "auto")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert app.context.store is None
            (note,) = [n for n in _notes(app) if "will not be saved" in n]
            assert f"The folder {data_dir} is read-only" in note
            await open_lesson(pilot, "demo", "add")
            screen = _screen(app)
            screen.editor.load_text(DEMO_SOLUTION.read_text(encoding="utf-8"))
            outcome, shown = await _check(pilot)
            assert outcome is Outcome.PASS, shown
            (elsewhere,) = [n for n in _notes(app) if "cannot be saved in your data folder" in n]
            kept = screen.path
        assert work.read_text(encoding="utf-8") == starter  # nothing written in the folder
    assert kept is not None and not kept.is_relative_to(data_dir)
    assert kept.read_text(encoding="utf-8") == DEMO_SOLUTION.read_text(encoding="utf-8")
    note = note.replace(str(data_dir), "<data folder>")
    seen(f"(made read-only with {how}) notification: {note} / then: "
         f"{elsewhere.replace(str(kept), '/tmp/homl-tui-unsaved-…/demo/add.py')} / "
         "the check runs and shows PASS")


FULL_DISK_PILOT = """
    import asyncio, json, resource, signal, sys
    from pathlib import Path
    sys.path[:0] = [sys.argv[3], sys.argv[3] + "/tests"]
    from ui.conftest import open_lesson, wait_for
    from homl_tui.ui.launch import create_app

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # no file may grow: a full disk

    async def main():
        app = create_app(Path(sys.argv[1]), Path(sys.argv[2]), "auto")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await open_lesson(pilot, "demo", "add")
            screen = app.screen
            await pilot.press("f2", "end", "enter", *"# more")
            await pilot.press("ctrl+t")
            await wait_for(pilot, lambda: screen.last_session is not None
                           and not screen.running, 30, "the check")
            await pilot.pause()
            result = screen.output.result
            print(json.dumps({"notes": [n.message for n in app._notifications],
                              "outcome": result.outcome.value if result.outcome else None,
                              "store": app.context.store is not None}))

    asyncio.run(main())
"""


@pytest.mark.fault("The app", "a full data directory")
def test_a_full_data_folder_leaves_the_app_checking_lessons(tmp_path, data_dir, seen):
    store = Store(data_dir / "homl.sqlite3")
    store.record_attempt("demo/add", "FAIL")
    store.close()
    solution = DEMO_SOLUTION.read_text(encoding="utf-8")
    work = _learner_file(data_dir, solution)
    # Pipes, not files, for its output: the limit applies to every file it writes.
    done = subprocess.run([sys.executable, "-c", dedent(FULL_DISK_PILOT), str(FIXTURE_LESSONS),
                           str(data_dir), str(ROOT)], capture_output=True, text=True,
                          timeout=60, cwd=ROOT, env=subprocess_env(TMPDIR=str(tmp_path)))
    assert done.returncode == 0, done.stderr[-3000:]
    shown = json.loads(done.stdout.strip().splitlines()[-1])
    assert shown["outcome"] == "PASS" and not shown["store"]
    (note,) = [n for n in shown["notes"] if "will not be saved" in n]
    assert "is the disk full?" in note
    (unsaved,) = [n for n in shown["notes"] if n.startswith("Could not save add.py")]
    assert "the file size limit is reached (is the disk full?)" in unsaved
    assert any("last saved version" in n for n in shown["notes"])
    assert work.read_text(encoding="utf-8") == solution
    assert not list(data_dir.glob("*.corrupt-*"))  # a full disk is not a damaged database
    with contextlib.closing(Store(data_dir / "homl.sqlite3")) as store:
        assert store.notice == "" and store.progress("demo/add").attempts == 1  # all still there
    note = note.replace(str(data_dir), "<data folder>")
    seen(f"(simulated with RLIMIT_FSIZE=0, SIGXFSZ ignored) notification: {note} / on save: "
         f"{unsaved} / the check runs the last saved file and shows PASS")


# ------------------------------------------------------------------ broken lessons


def _copy_lessons(tmp_path: Path) -> Path:
    lessons = tmp_path / "lessons"
    shutil.copytree(FIXTURE_LESSONS, lessons)
    return lessons


BUGGY_CHECK = """
    from homl_tui.checks import require_function

    SIZES = {"small": 3}


    def check(learner, ctx):
        total = require_function(learner, "total")
        size = SIZES["large"]  # the lesson's bug: no such key
        assert total(list(range(size))) == sum(range(size))
"""
BUGGY_LINE = 8


def _write_buggy_lesson(lessons: Path) -> None:
    lesson = lessons / "03_buggy"
    exercise = lesson / "exercises" / "total"
    exercise.mkdir(parents=True)
    (lesson / "lesson.toml").write_text(dedent("""
        id = "buggy"
        title = "A lesson with a buggy check"
        part = 1
        chapter = "test fixture"
        order = 2

        [[exercises]]
        id = "total"
        title = "Total"
        hints = ["Add them up.", "sum() adds.", "return sum(values)"]
    """), encoding="utf-8")
    (lesson / "lesson.md").write_text("# Buggy\n\n::: exercise total\n", encoding="utf-8")
    (exercise / "check.py").write_text(dedent(BUGGY_CHECK), encoding="utf-8")
    (exercise / "solution.py").write_text("def total(values):\n    return sum(values)\n")
    (exercise / "starter.py").write_text("def total(values):\n    raise NotImplementedError\n")


@pytest.mark.anyio
@pytest.mark.fault("The app", "a malformed lesson manifest")
async def test_a_malformed_manifest_is_shown_with_file_and_line_and_the_rest_works(
        tmp_path, data_dir, seen):
    lessons = _copy_lessons(tmp_path)
    broken = lessons / "03_broken"
    broken.mkdir()
    (broken / "lesson.toml").write_text('id = "broken"\ntitle = "Broken"\npart = one\n')
    _learner_file(data_dir, DEMO_SOLUTION.read_text(encoding="utf-8"))
    app = create_app(lessons, data_dir, "auto")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        problems = str(app.screen.query_one("#problems").render())
        (line,) = [text.strip() for text in problems.splitlines() if "03_broken" in text]
        assert line.startswith("03_broken/lesson.toml: is not valid TOML")
        assert "line 3" in line
        assert [lesson.id for lesson in app.context.course.lessons] == ["demo", "stream"]
        await open_lesson(pilot, "demo", "add")
        outcome, _ = await _check(pilot)
        assert outcome is Outcome.PASS
    seen(f"catalog: {problems.splitlines()[0]} {line} / the other lessons open and check (PASS)")


@pytest.mark.anyio
@pytest.mark.fault("The app", "a lesson whose check raises")
async def test_a_check_that_raises_is_shown_with_file_and_line_and_the_rest_works(
        tmp_path, data_dir, seen):
    lessons = _copy_lessons(tmp_path)
    _write_buggy_lesson(lessons)
    _learner_file(data_dir, "def total(values):\n    return sum(values)\n", "buggy/total")
    _learner_file(data_dir, DEMO_SOLUTION.read_text(encoding="utf-8"))
    app = create_app(lessons, data_dir, "auto")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "buggy", "total")
        outcome, shown = await _check(pilot)
        assert outcome is Outcome.ERROR
        assert "KeyError: 'large'" in shown
        (where,) = [text.strip() for text in shown.splitlines() if "check.py" in text]
        assert f"line {BUGGY_LINE}" in where and "03_buggy" in where
        await open_lesson(pilot, "demo", "add")
        outcome, _ = await _check(pilot)
        assert outcome is Outcome.PASS
    message = shown.splitlines()[1]
    where = re.sub(r'"/.*/lessons/', '"lessons/', where)
    seen(f"result panel: ERROR: {message} … {where} / the other lessons open and check (PASS)")


# ----------------------------------------------------------------- the terminal


@pytest.mark.anyio
@pytest.mark.fault("The app", "a terminal resized to 40x10 and back")
async def test_a_terminal_too_small_says_how_big_it_must_be_and_recovers(data_dir, seen):
    app = create_app(FIXTURE_LESSONS, data_dir, "auto")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "demo", "add")
        await pilot.press("f2")
        screen = _screen(app)
        await pilot.resize_terminal(40, 10)
        await wait_for(pilot, lambda: isinstance(app.screen, TooSmallScreen), what="the notice")
        message = app.screen.message
        assert "Terminal too small (40x10)" in message
        assert f"needs at least {MIN_WIDTH}x{MIN_HEIGHT}" in message
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: app.screen is screen, what="the lesson again")
        await pilot.pause()
        assert app.focused is screen.editor and screen.editor.size.width > 40
        await pilot.press(*"# back")
        assert "# back" in screen.editor.text
        await pilot.resize_terminal(50, 30)
        await wait_for(pilot, lambda: isinstance(app.screen, TooSmallScreen), what="narrow")
        await pilot.press("escape", "enter")  # its own keys do nothing underneath
        await pilot.resize_terminal(MIN_WIDTH, MIN_HEIGHT)
        await wait_for(pilot, lambda: app.screen is screen, what="the lesson at the minimum")
    seen(f"while too small: “{message}” / back to 80x24: the lesson as it was, editor focused")


def _start_app(tmux: Tmux, data_dir: Path, home: Path, **env: str) -> None:
    settings = " ".join(f"{key}={shlex.quote(value)}"
                        for key, value in {"HOML_TUI_HOME": str(home), **env}.items())
    tmux("new-session", "-d", "-s", "smoke", "-x", "80", "-y", "24",
         f"env {settings} sh -c {shlex.quote(_app_command(data_dir))}")


@contextlib.contextmanager
def tmux_server(name: str) -> Iterator[Tmux]:
    """A tmux server of this test's own; killed after, its socket removed."""
    socket = f"homl-faults-{name}-{os.getpid()}"
    tmux = Tmux(socket)
    try:
        yield tmux
    finally:
        tmux("kill-server")
        folder = Path(os.environ.get("TMUX_TMPDIR") or "/tmp")
        (folder / f"tmux-{os.getuid()}" / socket).unlink(missing_ok=True)


def _quit(tmux: Tmux) -> str:
    tmux("send-keys", "-t", "smoke", "C-q")
    return tmux.wait_for("EXIT=")


@needs_tmux
@pytest.mark.fault("The app", "TERM=dumb")
def test_a_dumb_terminal_is_refused_with_a_clear_message(tmp_path, data_dir, seen):
    with tmux_server("dumb") as tmux:
        _start_app(tmux, data_dir, tmp_path / "home", TERM="dumb")
        screen = tmux.wait_for("EXIT=1")
    text = " ".join(screen.split())
    assert "this terminal (TERM=dumb) cannot show a full-screen app" in text
    assert "TERM=xterm-256color" in text and "homl-tui check" in text
    assert "Traceback" not in screen
    message = text[text.index("homl-tui:"):text.index("EXIT=")].strip()
    seen(f"refuses to start (exit status 1): “{message}”")


SGR_COLOUR = re.compile(r"\x1b\[([0-9;]*)m")


def _hues(screen: str) -> set[str]:
    """The coloured (not grey) foreground and background colours an ANSI screen uses."""
    hues = set()
    for params in SGR_COLOUR.findall(screen):
        codes = params.split(";")
        for index, code in enumerate(codes[:-2]):
            if code in ("38", "48") and codes[index + 1] == "5":
                colour = int(codes[index + 2])
                cube = colour - 16
                grey = colour >= 232 or colour in (0, 7, 8, 15) or (
                    0 <= cube < 216 and cube // 36 == cube // 6 % 6 == cube % 6)
                if not grey:
                    hues.add(f"{code};5;{colour}")
            elif code in ("38", "48") and codes[index + 1] == "2" and index + 4 < len(codes):
                red, green, blue = codes[index + 2:index + 5]
                if not red == green == blue:
                    hues.add(f"{code};2;{red};{green};{blue}")
        hues |= {code for code in codes if code.isdigit() and (30 <= int(code) <= 37
                 or 40 <= int(code) <= 47 or 90 <= int(code) <= 107) and code not in
                 ("30", "37", "40", "47", "90", "97", "100", "107")}
    return hues


@needs_tmux
@pytest.mark.fault("The app", "NO_COLOR=1")
def test_no_color_shows_the_catalog_in_shades_of_grey(tmp_path, data_dir, seen):
    with tmux_server("nocolor") as tmux:
        _start_app(tmux, data_dir, tmp_path / "home", NO_COLOR="1", TERM="xterm-256color")
        assert "⏎ Open lesson" in tmux.wait_for("palette")  # the footer: the screen is drawn
        coloured = tmux("capture-pane", "-e", "-p", "-t", "smoke")
        assert _hues(coloured) == set()
        assert "EXIT=0" in _quit(tmux)
    seen("starts, shows the catalog with no colour (greys only: Textual's monochrome theme), "
         "quits with ctrl+q")


def _start_in_ascii(tmp_path: Path, data_dir: Path, name: str, **env: str) -> str:
    """The catalog (with a passed lesson) as the app drew it with ``env``, and how it quit."""
    store = Store(data_dir / "homl.sqlite3")
    store.record_attempt("demo/add", "PASS")
    store.close()
    with tmux_server(name) as tmux:
        _start_app(tmux, data_dir, tmp_path / "home", TERM="xterm-256color", **env)
        screen = tmux.wait_for("palette")  # the footer: the screen is drawn
        quit_screen = _quit(tmux)
    assert "EXIT=0" in quit_screen and "Traceback" not in quit_screen
    assert "Error" not in quit_screen
    assert "\\u" not in screen and "\\x" not in screen and screen.isascii()
    assert "1/1 v" in screen  # ✔ becomes v
    assert "Part I . The fundamentals" in screen and "| A demo lesson" in screen
    return screen


@needs_tmux
@pytest.mark.fault("The app", "a non-UTF-8 locale (LC_ALL=C)")
def test_a_c_locale_draws_the_app_in_ascii(tmp_path, data_dir, seen):
    _start_in_ascii(tmp_path, data_dir, "locale", LC_ALL="C", LANG="C", PYTHONUTF8="0",
                    PYTHONCOERCECLOCALE="0")
    seen("LC_ALL=C LANG=C PYTHONUTF8=0: the app draws in ASCII look-alikes (✔ → v, │ → |, "
         "· → .), layout intact; quits with ctrl+q, no UnicodeEncodeError")


@needs_tmux
@pytest.mark.fault("The app", "a non-UTF-8 output encoding (PYTHONIOENCODING=ascii)")
def test_an_ascii_output_encoding_draws_the_app_in_ascii(tmp_path, data_dir, seen):
    _start_in_ascii(tmp_path, data_dir, "ascii", PYTHONIOENCODING="ascii")
    seen("the app draws in ASCII look-alikes (✔ → v, │ → |, · → .), layout intact; quits with "
         "ctrl+q, no UnicodeEncodeError")


# ------------------------------------------------------------------------ signals

NOTE = "# typed just before the signal"


def _signal_during_a_run(tmp_path: Path, data_dir: Path, name: str, deliver, *,
                         closes_terminal: bool = False) -> tuple[int, int, str]:
    """Start a training run in the app, type in the editor, ``deliver`` a signal before the
    autosave; check the draft was saved and the run goes on, recorded.

    Return the run, its points so far and the terminal after the app exited ("" if gone)."""
    work = _learner_file(data_dir, TRAIN.read_text(encoding="utf-8"), "stream/train")
    with tmux_server(name) as tmux:
        _start_app(tmux, data_dir, tmp_path / "home", HOML_TEST_TRAIN_S="60")
        _open_train_exercise(tmux)
        tmux.wait_for("Exercise 2/2")
        tmux("send-keys", "-t", "smoke", "C-r")
        tmux.wait_for("training from step 0")
        with contextlib.closing(Store(data_dir / "homl.sqlite3")) as store:
            (run,) = store.runs.list()
            wait_until(lambda: _points(store, run.id) >= 3, 20, "3 points of the run")
            tmux("send-keys", "-t", "smoke", "F2")
            time.sleep(0.3)
            tmux("send-keys", "-t", "smoke", "-l", NOTE)
            tmux.wait_for(NOTE, timeout=5)
            (app_pid,) = _app_pids(data_dir)
            assert NOTE not in work.read_text(encoding="utf-8"), "autosaved before the signal"
            deliver(tmux, app_pid)
            deadline = time.monotonic() + 15
            while _app_pids(data_dir) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert _app_pids(data_dir) == [], "the app did not exit"
            terminal = "" if closes_terminal else tmux.wait_for("EXIT=")
            assert NOTE in work.read_text(encoding="utf-8"), "the draft was not saved"
            before = _points(store, run.id)
            wait_until(lambda: _points(store, run.id) > before, 20,
                       "new points (the run stopped recording with the app?)")
            assert store.runs.get(run.id).status == "running"
            after = _points(store, run.id)
    return run.id, after, terminal


@needs_tmux
@pytest.mark.fault("The app", "SIGHUP during a run")
def test_a_hang_up_saves_the_draft_and_the_run_goes_on(tmp_path, data_dir, seen):
    run, points, _ = _signal_during_a_run(tmp_path, data_dir, "hup",
                                          lambda tmux, pid: tmux("kill-server"),
                                          closes_terminal=True)
    seen(f"terminal killed under the app (SIGHUP): the unsaved editor text was written, the app "
         f"exited, run #{run} kept training and recording ({points} points, still growing)")


@needs_tmux
@pytest.mark.fault("The app", "SIGTERM during a run")
def test_sigterm_saves_the_draft_and_the_run_goes_on(tmp_path, data_dir, seen):
    run, points, terminal = _signal_during_a_run(tmp_path, data_dir, "term",
                                                 lambda tmux, pid: os.kill(pid, signal.SIGTERM))
    assert "EXIT=0" in terminal and "Traceback" not in terminal  # a clean exit
    seen(f"SIGTERM: the unsaved editor text was written, the app exited, run #{run} kept "
         f"training and recording ({points} points, still growing)")
