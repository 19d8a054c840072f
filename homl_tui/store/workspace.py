"""The learner's exercise files on disk: ``<data>/workspace/<lesson>/<exercise>.py``.

Files are created from the starter on first use and never overwritten after
that (except by an explicit reset). Every write is atomic: a temporary file in
the same folder, fsync, then ``os.replace``, so a crash mid-write leaves the old
text or the new text, never a truncated file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
import time
from pathlib import Path

from homl_tui.course.model import Exercise
from homl_tui.paths import DataPaths


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (temp file + fsync + rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


#: How old an unfinished temporary file must be before :func:`sweep_temp_files` deletes it: a
#: write takes milliseconds, so one this old was left by a process killed in the middle.
STALE_TEMP_S = 3600.0


def sweep_temp_files(data_dir: Path, max_age_s: float = STALE_TEMP_S) -> list[Path]:
    """Delete the ``*.tmp`` files that killed writes left in ``data_dir``; return them.

    Atomic writes (drafts, checkpoints, the course cache) write a temporary file and rename
    it; ``kill -9`` in between leaves the temporary file behind. It never holds the only copy
    of anything (the rename is what saves), so an old one is only clutter. Files younger than
    ``max_age_s`` are kept: another homl-tui may be writing them right now. Errors are
    ignored: this is housekeeping, never a reason to stop.
    """
    removed: list[Path] = []
    cutoff = time.time() - max_age_s
    paths = DataPaths(data_dir)
    for folder in (paths.workspace, paths.checkpoints, paths.cache):
        for root, _dirs, files in os.walk(folder):
            for name in files:
                if not name.endswith(".tmp"):
                    continue
                path = Path(root) / name
                with contextlib.suppress(OSError):
                    if path.lstat().st_mtime < cutoff:
                        path.unlink()
                        removed.append(path)
    return removed


#: Plain words for the ways a write fails on a healthy disk.
WRITE_ERRORS = {
    errno.EROFS: "the folder is read-only",
    errno.EACCES: "the folder is not writable (permission denied)",
    errno.EPERM: "the folder is not writable (operation not permitted)",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "your disk quota is used up",
    errno.EFBIG: "the file size limit is reached (is the disk full?)",
}


def why_not_written(exc: OSError) -> str:
    """Why a write failed, in plain words (``the disk is full``)."""
    return WRITE_ERRORS.get(exc.errno or 0, exc.strerror or str(exc))


class Workspace:
    """The folder of learner files."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, exercise: Exercise) -> Path:
        return self.root / exercise.lesson_id / f"{exercise.id}.py"

    def ensure(self, exercise: Exercise) -> Path:
        """The learner's file for ``exercise``, created from the starter if missing."""
        path = self.path(exercise)
        if not path.exists():
            atomic_write(path, exercise.starter.read_text(encoding="utf-8"))
        return path

    def read(self, exercise: Exercise) -> str:
        return self.ensure(exercise).read_text(encoding="utf-8")

    def write(self, exercise: Exercise, text: str) -> Path:
        path = self.path(exercise)
        atomic_write(path, text)
        return path

    def reset(self, exercise: Exercise) -> Path:
        """Put the starter back (the old text is kept as ``<exercise>.py.bak``)."""
        path = self.path(exercise)
        if path.exists():
            atomic_write(path.with_suffix(".py.bak"), path.read_text(encoding="utf-8"))
        return self.write(exercise, exercise.starter.read_text(encoding="utf-8"))

    def is_modified(self, exercise: Exercise) -> bool:
        path = self.path(exercise)
        if not path.exists():
            return False
        return path.read_text(encoding="utf-8") != exercise.starter.read_text(encoding="utf-8")
