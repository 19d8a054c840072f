"""Progress, attempts, hints, solution reveals and run metrics in SQLite (WAL mode).

A database file that SQLite finds damaged (corrupt, truncated, not a database)
is moved aside to ``<name>.corrupt-<timestamp>`` and a fresh one is created;
:attr:`Store.notice` then says what happened so the app can tell the learner. A
database that cannot be *written* (a read-only folder, a full disk) is not damaged:
it is left alone and :class:`StoreError` says why in plain words.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from homl_tui.store.runs import Runs, execute_each, migrate_runs, transaction

SCHEMA_VERSION = 2
SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY,
    exercise TEXT NOT NULL,          -- lesson/exercise
    outcome TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    code_hash TEXT NOT NULL DEFAULT '',
    duration_s REAL NOT NULL DEFAULT 0,
    created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS attempts_exercise ON attempts(exercise, created);
CREATE TABLE IF NOT EXISTS progress (
    exercise TEXT PRIMARY KEY,
    last_outcome TEXT NOT NULL,
    passed INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS hints (
    exercise TEXT PRIMARY KEY,
    level INTEGER NOT NULL,
    updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS reveals (
    exercise TEXT PRIMARY KEY,
    revealed REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    exercise TEXT NOT NULL,
    mode TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'running',
    outcome TEXT,
    device TEXT NOT NULL DEFAULT '',
    seed INTEGER NOT NULL DEFAULT 0,
    code_hash TEXT NOT NULL DEFAULT '',
    pid INTEGER,
    started REAL NOT NULL,
    ended REAL
);
CREATE TABLE IF NOT EXISTS metrics (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step INTEGER NOT NULL,
    name TEXT NOT NULL,
    value REAL
);
CREATE TABLE IF NOT EXISTS settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


#: SQLite's words for a file that is not a sound database (anything else is not its fault).
DAMAGED = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}


class StoreError(Exception):
    """The store could not be opened or written; the message is for people."""


class _Damaged(sqlite3.DatabaseError):
    """``PRAGMA quick_check`` found damage."""


def _is_damage(exc: sqlite3.DatabaseError) -> bool:
    return isinstance(exc, _Damaged) or getattr(exc, "sqlite_errorname", "") in DAMAGED


def _read_only(folder: Path) -> bool:
    """True when nothing can be written in ``folder`` (a read-only mount or permissions)."""
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY) or not os.access(folder, os.W_OK)
    except OSError:
        return False


def chosen_device(requested: str | None, store: Store | None) -> str:
    """The device runs use: ``requested`` (``--device``), else the app's Device setting saved
    in ``store``, else ``auto``. An unreadable setting counts as unset."""
    if requested:
        return requested
    try:
        return (store.setting("device") if store is not None else "") or "auto"
    except Exception:  # noqa: BLE001 - a damaged store: the default
        return "auto"


@dataclass(frozen=True)
class Progress:
    """What the learner has done on one exercise."""

    last_outcome: str
    passed: bool
    attempts: int
    hint_level: int
    revealed: bool


class Store:
    """The learner's progress database. Thread-safe; one connection per store."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.notice = ""
        self._lock = threading.RLock()
        self._conn = self._open()

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30.0, check_same_thread=False,
                               isolation_level=None)
        try:
            self._prepare(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _prepare(self, conn: sqlite3.Connection) -> None:
        """Check a new connection's database, then set it up (raises when unusable).

        The check comes first: nothing is written into a database that is damaged.
        """
        conn.execute("PRAGMA busy_timeout=30000")
        quick = conn.execute("PRAGMA quick_check").fetchone()[0]
        if quick != "ok":
            raise _Damaged(quick)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path} was written by a newer homl-tui (schema {version}).")
        for attempt in range(100):  # on a fresh file, switching to WAL does not wait when busy
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == 99:
                    raise
                time.sleep(0.01)
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        if version < SCHEMA_VERSION:
            self._create_or_migrate(conn)

    @staticmethod
    def _create_or_migrate(conn: sqlite3.Connection) -> None:
        """Create the tables or bring them to this schema: one process at a time (several
        homl-tui processes may open a fresh data folder at once), in one transaction."""
        with transaction(conn, "IMMEDIATE"):
            if conn.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                execute_each(conn, SCHEMA)
                migrate_runs(conn)
                conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def _unusable(self, exc: sqlite3.DatabaseError) -> StoreError:
        """Why the database cannot be used, when it is not damaged (it is left as it is)."""
        name = getattr(exc, "sqlite_errorname", "") or ""
        folder = self.path.parent
        if "locked" in str(exc) or name.startswith("SQLITE_BUSY"):
            return StoreError(f"{self.path} is locked by another program.")
        if name.startswith("SQLITE_READONLY") or _read_only(folder):
            return StoreError(f"The folder {folder} is read-only.")
        if name == "SQLITE_FULL" or name.startswith("SQLITE_IOERR"):
            return StoreError(f"Cannot write to {folder} (is the disk full?): {exc}.")
        return StoreError(f"Cannot open {self.path}: {exc}.")

    def _open(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"Cannot create {self.path.parent}: {exc.strerror or exc}") from None
        try:
            return self._connect()
        except sqlite3.DatabaseError as exc:
            if not _is_damage(exc) or not self.path.is_file():
                raise self._unusable(exc) from None
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        number = 1
        while aside.exists():
            number += 1
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{number}")
        try:
            for suffix in ("", "-wal", "-shm"):
                src = Path(f"{self.path}{suffix}")
                if src.exists():
                    src.replace(Path(f"{aside}{suffix}"))
        except OSError as exc:
            raise StoreError(f"{self.path} is damaged and cannot be moved aside: "
                             f"{exc.strerror or exc}.") from None
        self.notice = (f"Your progress database was damaged and has been moved aside to {aside.name}; "
                       "a fresh one was started. Your exercise files are untouched.")
        try:
            return self._connect()
        except sqlite3.DatabaseError as exc:
            raise self._unusable(exc) from None

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def _write(self, sql: str, params: Iterable[object] = ()) -> sqlite3.Cursor:
        with self._lock:
            return self._conn.execute(sql, tuple(params))

    # ------------------------------------------------------------- progress
    def record_attempt(self, exercise: str, outcome: str, message: str = "",
                       code_hash: str = "", duration_s: float = 0.0) -> None:
        now = time.time()
        passed = 1 if outcome == "PASS" else 0
        with self._lock, transaction(self._conn, "IMMEDIATE") as conn:
            conn.execute(
                "INSERT INTO attempts (exercise, outcome, message, code_hash, duration_s, "
                "created) VALUES (?, ?, ?, ?, ?, ?)",
                (exercise, outcome, message, code_hash, duration_s, now))
            conn.execute(
                "INSERT INTO progress (exercise, last_outcome, passed, attempts, updated) "
                "VALUES (?, ?, ?, 1, ?) ON CONFLICT(exercise) DO UPDATE SET "
                "last_outcome=excluded.last_outcome, passed=max(passed, excluded.passed), "
                "attempts=attempts+1, updated=excluded.updated",
                (exercise, outcome, passed, now))

    def progress(self, exercise: str) -> Progress:
        return self.all_progress().get(exercise, Progress("", False, 0, 0, False))

    def all_progress(self) -> dict[str, Progress]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT e.exercise, coalesce(p.last_outcome, ''), coalesce(p.passed, 0), "
                "coalesce(p.attempts, 0), coalesce(h.level, 0), r.exercise IS NOT NULL FROM "
                "(SELECT exercise FROM progress UNION SELECT exercise FROM hints "
                "UNION SELECT exercise FROM reveals) e "
                "LEFT JOIN progress p ON p.exercise = e.exercise "
                "LEFT JOIN hints h ON h.exercise = e.exercise "
                "LEFT JOIN reveals r ON r.exercise = e.exercise").fetchall()
        return {row[0]: Progress(row[1], bool(row[2]), row[3], row[4], bool(row[5]))
                for row in rows}

    def attempts(self, exercise: str) -> list[tuple[str, str, float]]:
        with self._lock:
            return self._conn.execute(
                "SELECT outcome, message, created FROM attempts WHERE exercise = ? "
                "ORDER BY created", (exercise,)).fetchall()

    def use_hint(self, exercise: str, level: int) -> None:
        """Record that hints up to ``level`` (1-based) have been shown."""
        self._write("INSERT INTO hints (exercise, level, updated) VALUES (?, ?, ?) "
                    "ON CONFLICT(exercise) DO UPDATE SET level=max(level, excluded.level), "
                    "updated=excluded.updated", (exercise, level, time.time()))

    def reveal_solution(self, exercise: str) -> None:
        self._write("INSERT OR IGNORE INTO reveals (exercise, revealed) VALUES (?, ?)",
                    (exercise, time.time()))

    # ------------------------------------------------------------- settings
    def setting(self, key: str, default: str = "") -> str:
        with self._lock:
            row = self._conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else default

    def set_setting(self, key: str, value: str) -> None:
        self._write("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) "
                    "DO UPDATE SET value=excluded.value", (key, value))

    # ----------------------------------------------------------------- runs
    @functools.cached_property
    def runs(self) -> Runs:
        """Training and check runs: their rows, metrics, output and live state."""
        return Runs(self._conn, self._lock)
