"""DraftFile: saving the editor, noticing saves made by other programs."""

from __future__ import annotations

import os
from pathlib import Path

from homl_tui.course import load_course
from homl_tui.store import Workspace
from homl_tui.ui.draft import DraftFile

from .conftest import LESSONS


def _draft(tmp_path: Path) -> DraftFile:
    exercise = load_course(LESSONS).select("demo/add")[0]
    return DraftFile(Workspace(tmp_path / "ws"), exercise)


def test_a_new_draft_starts_from_the_starter(tmp_path: Path) -> None:
    draft = _draft(tmp_path)
    assert draft.text == draft.exercise.starter.read_text(encoding="utf-8")
    assert draft.path.read_text(encoding="utf-8") == draft.text


def test_save_writes_only_when_the_text_changed(tmp_path: Path) -> None:
    draft = _draft(tmp_path)
    assert not draft.save(draft.text)
    assert draft.save("x = 1\n")
    assert draft.path.read_text(encoding="utf-8") == "x = 1\n"
    assert draft.external_change() is None  # our own save is not an external change


def test_another_programs_save_is_noticed_once(tmp_path: Path) -> None:
    draft = _draft(tmp_path)
    draft.path.write_text("y = 2\n", encoding="utf-8")
    stat = draft.path.stat()
    os.utime(draft.path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert draft.external_change() == "y = 2\n"
    draft.accept("y = 2\n")
    assert draft.external_change() is None


def test_replace_keeps_the_previous_text_as_a_backup(tmp_path: Path) -> None:
    draft = _draft(tmp_path)
    backup = draft.replace("solution\n", "mine\n")
    assert backup.read_text(encoding="utf-8") == "mine\n"
    assert draft.path.read_text(encoding="utf-8") == "solution\n"
    assert draft.keep_draft("unsaved\n").name == "add.py.draft"
