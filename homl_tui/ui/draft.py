"""The learner's exercise file as the editor sees it: what was last saved, and when.

No Textual here. The lesson screen saves the editor through :meth:`DraftFile.save`
(atomic, skipped when nothing changed) and polls :meth:`DraftFile.external_change`
to notice saves made by another editor.

When the workspace cannot be written (a read-only data folder, a full disk), the file
moves to a scratch folder given by the app (a temporary folder elsewhere), so that the
learner's text is still saved and runs and checks still see it; :attr:`DraftFile.elsewhere`
then says why, for the learner to be told.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from homl_tui.course import Exercise
from homl_tui.store import Workspace, atomic_write, why_not_written


def file_stamp(path: Path) -> tuple[int, int] | None:
    """(mtime in ns, size) of ``path``, or None if it cannot be read."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


class DraftFile:
    """One workspace file: its text as last saved or loaded, and its stamp on disk.

    ``scratch`` gives the folder to fall back to when the workspace cannot be written.
    Raises ``OSError`` (or ``UnicodeDecodeError``) when the file cannot be created or read
    anywhere.
    """

    def __init__(self, workspace: Workspace, exercise: Exercise,
                 scratch: Callable[[], Workspace] | None = None) -> None:
        self.workspace = workspace
        self.exercise = exercise
        self.elsewhere = ""  # why the file lives in the scratch folder ("" while it does not)
        self._scratch = scratch
        try:
            self.path = workspace.ensure(exercise)
        except OSError as exc:
            self.path = self._to_scratch(exc, None)
        self.text = self.path.read_text(encoding="utf-8")
        self.stamp = file_stamp(self.path)

    def _to_scratch(self, error: OSError, text: str | None) -> Path:
        """Keep the file in the scratch folder from now on; raise ``error`` if that fails too."""
        if self._scratch is None or self.elsewhere:
            raise error
        try:
            scratch = self._scratch()
            path = scratch.ensure(self.exercise) if text is None else scratch.write(
                self.exercise, text)
        except OSError:
            raise error from None
        self.elsewhere = why_not_written(error)
        return path

    def _write(self, text: str) -> None:
        try:
            atomic_write(self.path, text)
        except OSError as exc:
            self.path = self._to_scratch(exc, text)

    def save(self, text: str) -> bool:
        """Write ``text`` atomically unless the file already holds it; True if written."""
        if text == self.text:
            return False
        self._write(text)
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
        self._write(text)
        self.text, self.stamp = text, file_stamp(self.path)
        return backup
