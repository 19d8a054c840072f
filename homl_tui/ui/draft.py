"""The learner's exercise file as the editor sees it: what was last saved, and when.

No Textual here. The lesson screen saves the editor through :meth:`DraftFile.save`
(atomic, skipped when nothing changed) and polls :meth:`DraftFile.external_change`
to notice saves made by another editor.
"""

from __future__ import annotations

from pathlib import Path

from homl_tui.course import Exercise
from homl_tui.store import Workspace, atomic_write


def file_stamp(path: Path) -> tuple[int, int] | None:
    """(mtime in ns, size) of ``path``, or None if it cannot be read."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


class DraftFile:
    """One workspace file: its text as last saved or loaded, and its stamp on disk.

    Raises ``OSError`` (or ``UnicodeDecodeError``) when the file cannot be created or read.
    """

    def __init__(self, workspace: Workspace, exercise: Exercise) -> None:
        self.workspace = workspace
        self.exercise = exercise
        self.path = workspace.ensure(exercise)
        self.text = self.path.read_text(encoding="utf-8")
        self.stamp = file_stamp(self.path)

    def save(self, text: str) -> bool:
        """Write ``text`` atomically unless the file already holds it; True if written."""
        if text == self.text:
            return False
        self.workspace.write(self.exercise, text)
        self.text, self.stamp = text, file_stamp(self.path)
        return True

    def external_change(self) -> str | None:
        """The file's new text if another program changed it since we last looked, else None."""
        stamp = file_stamp(self.path)
        if stamp is None or stamp == self.stamp:
            return None
        self.stamp = stamp
        text = self.path.read_text(encoding="utf-8")
        if text == self.text:
            return None
        return text

    def accept(self, text: str) -> None:
        """Take ``text`` (read from disk) as the saved state."""
        self.text = text

    def keep_draft(self, text: str) -> Path:
        """Keep ``text`` next to the file as ``<exercise>.py.draft``."""
        draft = self.path.with_suffix(".py.draft")
        atomic_write(draft, text)
        return draft

    def replace(self, text: str, previous: str) -> Path:
        """Put ``text`` in the file, keeping ``previous`` as ``<exercise>.py.bak``."""
        backup = self.path.with_suffix(".py.bak")
        atomic_write(backup, previous)
        self.workspace.write(self.exercise, text)
        self.text, self.stamp = text, file_stamp(self.path)
        return backup
