"""Run history in SQLite: one row per run, its metrics, its output and its latest live state.

A run is written by one process (its supervisor, see :mod:`homl_tui.runtime.supervisor`)
and read by any number of others (the app, ``homl-tui runs``), possibly after the process
that started it has gone. Readers follow a run with :meth:`Runs.read` and a
:class:`Cursor`; each call returns what was added since, as one consistent snapshot
(WAL readers never block the writer).

* ``metrics``: every (step, name, value) point, appended in batches;
* ``run_output``: the run's stdout/stderr, in chunks, capped by the runner;
* ``run_state``: the latest value per key (``progress``, ``frame``, ``plot:NAME``,
  ``device``, ``resources``, ``check``, ``end``...) with a per-run sequence number,
  so a reader only fetches what changed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

ACTIVE = ("starting", "running")
STARTING_GRACE_S = 30.0  # a run still "starting" after this, with no process, is lost
REMOTE_STALE_S = 120.0  # a run on another host whose heartbeat is older than this is lost

_RUN_COLUMNS = (
    ("kind", "TEXT NOT NULL DEFAULT 'learner'"),
    ("label", "TEXT NOT NULL DEFAULT ''"),
    ("spec", "TEXT NOT NULL DEFAULT ''"),
    ("message", "TEXT NOT NULL DEFAULT ''"),
    ("device_name", "TEXT NOT NULL DEFAULT ''"),
    ("config", "TEXT NOT NULL DEFAULT ''"),
    ("host", "TEXT NOT NULL DEFAULT ''"),
    ("worker_pid", "INTEGER"),
    ("heartbeat", "REAL"),
    ("resumed_from", "INTEGER"),
    ("checkpoint", "TEXT NOT NULL DEFAULT ''"),
)
_TABLES = """
CREATE TABLE IF NOT EXISTS run_output (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    stream TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS run_output_run ON run_output(run_id);
CREATE TABLE IF NOT EXISTS run_state (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    seq INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (run_id, key)
);
DROP INDEX IF EXISTS metrics_run;
CREATE INDEX IF NOT EXISTS metrics_run_id ON metrics(run_id);
CREATE INDEX IF NOT EXISTS runs_status ON runs(status);
"""


def duration_text(seconds: float) -> str:
    """``45s``, ``3m05s``, ``2h07m``: seven characters at most."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection, mode: str = "") -> Iterator[sqlite3.Connection]:
    """``BEGIN [mode]`` ... ``COMMIT``, or ``ROLLBACK`` if the block raises."""
    conn.execute(f"BEGIN {mode}")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def execute_each(conn: sqlite3.Connection, script: str) -> None:
    """Run the statements of ``script`` inside the open transaction (``executescript``
    would commit it)."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def migrate_runs(conn: sqlite3.Connection) -> None:
    """Bring a schema-1 database (or a fresh one) to the run-history tables of schema 2."""
    have = {row[1] for row in conn.execute("PRAGMA table_info(runs)")}
    for name, decl in _RUN_COLUMNS:
        if name not in have:
            conn.execute(f"ALTER TABLE runs ADD COLUMN {name} {decl}")
    execute_each(conn, _TABLES)


def this_host() -> str:
    return socket.gethostname()


def _json(text: str) -> Any:
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


@dataclass(frozen=True)
class RunInfo:
    """One run as recorded."""

    id: int
    exercise: str
    mode: str  # run | check
    kind: str  # learner | reference
    status: str  # starting, running, ok, failed, error, timeout, memory, cancelled, crashed, lost
    outcome: str | None
    message: str
    device: str
    device_name: str
    seed: int
    code_hash: str
    label: str
    config: dict[str, Any]
    started: float
    ended: float | None
    heartbeat: float | None
    pid: int | None  # the supervisor
    worker_pid: int | None
    host: str
    resumed_from: int | None
    checkpoint: str

    @classmethod
    def from_row(cls, row: tuple) -> RunInfo:
        """From a row of :data:`_SELECT` (the columns are named like the fields)."""
        values = dict(zip(_FIELDS, row, strict=True))
        config = _json(values["config"])
        values["config"] = config if isinstance(config, dict) else {}
        return cls(**values)

    @property
    def active(self) -> bool:
        """Still starting or running (as far as the store knows)."""
        return self.status in ACTIVE

    def duration_s(self, now: float | None = None) -> float:
        end = self.ended if self.ended is not None else (now or time.time())
        return max(0.0, end - self.started)

    @property
    def local(self) -> bool:
        """Recorded by this host (a data folder may be shared by several machines)."""
        return not self.host or self.host == this_host()

    @property
    def settings(self) -> str:
        """``lr=0.05 steps=200``: the settings the run reported (``report.config``)."""
        return " ".join(self._settings())

    @property
    def title(self) -> str:
        """``#12 lr=0.1`` — the id and what tells this run apart from its siblings."""
        tag = self.label or ", ".join(self._settings()[:3])
        return f"#{self.id} {tag}".rstrip()

    def _settings(self) -> list[str]:
        return [f"{key}={value}" for key, value in self.config.items()]


_FIELDS = tuple(f.name for f in dataclasses.fields(RunInfo))
_SELECT = f"SELECT {', '.join(_FIELDS)} FROM runs"


def _sql_in(statuses: Iterable[str]) -> str:
    """``('starting', 'running')``: a status list for ``IN`` (our own constants, never input)."""
    return "(" + ", ".join(f"'{status}'" for status in statuses) + ")"


_ACTIVE_SQL = _sql_in(ACTIVE)


@dataclass
class Cursor:
    """How far a reader has read one run (last row ids and state sequence seen)."""

    metric: int = 0
    output: int = 0
    state: int = 0


@dataclass
class RunDelta:
    """What was added to a run since a cursor."""

    info: RunInfo | None
    metrics: list[tuple[int, str, float]] = field(default_factory=list)
    output: list[tuple[str, str]] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)


def _value(value: float | None) -> float:
    return math.nan if value is None else float(value)


class Runs:
    """Run history over a store's connection (shares its lock; see :class:`~homl_tui.store.Store`)."""

    def __init__(self, conn: sqlite3.Connection, lock: threading.RLock) -> None:
        self._conn = conn
        self._lock = lock

    def _transaction(self, work: Callable[[sqlite3.Connection], Any]) -> Any:
        with self._lock, transaction(self._conn):
            return work(self._conn)

    # ---------------------------------------------------------------- writing
    def create(self, exercise: str, mode: str, *, spec: str = "", kind: str = "learner",
               seed: int = 0, code_hash: str = "", label: str = "", device: str = "",
               resumed_from: int | None = None, status: str = "starting") -> int:
        """A new run row (``starting`` until its process is attached); returns its id."""
        with self._lock:
            cursor = self._conn.execute(
                "INSERT INTO runs (exercise, mode, kind, status, spec, seed, code_hash, label, "
                "device, host, resumed_from, started, heartbeat) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (exercise, mode, kind, status, spec, seed, code_hash, label, device,
                 this_host(), resumed_from, time.time(), time.time()))
        return int(cursor.lastrowid or 0)

    def update(self, run_id: int, **fields: Any) -> None:
        """Set columns of a run (``status``, ``pid``, ``worker_pid``, ``device``, ``config``...)."""
        if not fields:
            return
        allowed = {"status", "pid", "worker_pid", "device", "device_name", "config", "label",
                   "message", "checkpoint", "heartbeat", "spec"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"not a run column: {', '.join(sorted(unknown))}")
        if "config" in fields and not isinstance(fields["config"], str):
            fields["config"] = json.dumps(fields["config"], default=str)
        columns = ", ".join(f"{name} = ?" for name in fields)
        with self._lock:
            self._conn.execute(f"UPDATE runs SET {columns} WHERE id = ?",
                               (*fields.values(), run_id))

    def record(self, run_id: int, *, metrics: Iterable[tuple[int, str, float]] = (),
               output: Iterable[tuple[str, str]] = (), state: Mapping[str, Any] | None = None,
               heartbeat: float | None = None) -> None:
        """Append metrics and output and replace state keys, in one transaction."""
        metric_rows = [(run_id, int(step), str(name), None if math.isnan(v) else float(v))
                       for step, name, v in metrics]
        output_rows = [(run_id, stream, text) for stream, text in output if text]
        state_rows = [(run_id, key, run_id, json.dumps(data, default=str))
                      for key, data in (state or {}).items()]

        def work(conn: sqlite3.Connection) -> None:
            if metric_rows:
                conn.executemany("INSERT INTO metrics (run_id, step, name, value) "
                                 "VALUES (?, ?, ?, ?)", metric_rows)
            if output_rows:
                conn.executemany("INSERT INTO run_output (run_id, stream, text) "
                                 "VALUES (?, ?, ?)", output_rows)
            if state_rows:
                conn.executemany(
                    "INSERT INTO run_state (run_id, key, seq, data) VALUES (?, ?, "
                    "(SELECT coalesce(max(seq), 0) + 1 FROM run_state WHERE run_id = ?), ?) "
                    "ON CONFLICT(run_id, key) DO UPDATE SET seq = excluded.seq, "
                    "data = excluded.data", state_rows)
            if heartbeat is not None:
                conn.execute("UPDATE runs SET heartbeat = ? WHERE id = ?", (heartbeat, run_id))

        if metric_rows or output_rows or state_rows or heartbeat is not None:
            self._transaction(work)

    def finish(self, run_id: int, status: str, outcome: str | None = None,
               message: str = "", device: str | None = None) -> bool:
        """Mark a run ended, unless it already is; True if this call ended it."""
        with self._lock:
            cursor = self._conn.execute(
                "UPDATE runs SET status = ?, outcome = ?, message = ?, ended = ?, "
                "device = coalesce(?, device) WHERE id = ? AND status IN " + _ACTIVE_SQL,
                (status, outcome, message, time.time(), device, run_id))
        return cursor.rowcount > 0

    def delete(self, run_id: int) -> bool:
        """Forget a finished run and everything recorded for it; False if it is still active."""
        with self._lock:
            cursor = self._conn.execute(
                "DELETE FROM runs WHERE id = ? AND status NOT IN " + _ACTIVE_SQL,
                (run_id,))
        return cursor.rowcount > 0

    # ---------------------------------------------------------------- reading
    def get(self, run_id: int) -> RunInfo | None:
        with self._lock:
            row = self._conn.execute(f"{_SELECT} WHERE id = ?", (run_id,)).fetchone()
        return RunInfo.from_row(row) if row else None

    def spec(self, run_id: int) -> str:
        with self._lock:
            row = self._conn.execute("SELECT spec FROM runs WHERE id = ?", (run_id,)).fetchone()
        return str(row[0]) if row else ""

    def list(self, limit: int = 100, *, exercise: str | None = None,
             active: bool | None = None, kind: str | None = "learner") -> list[RunInfo]:
        """Runs, newest first, optionally of one exercise, only active ones, or of one kind."""
        where, params = [], []
        if exercise is not None:
            where.append("exercise = ?")
            params.append(exercise)
        if active is not None:
            where.append(("" if active else "NOT ") + "status IN " + _ACTIVE_SQL)
        if kind is not None:
            where.append("kind = ?")
            params.append(kind)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        with self._lock:
            rows = self._conn.execute(f"{_SELECT}{clause} ORDER BY id DESC LIMIT ?",
                                      (*params, limit)).fetchall()
        return [RunInfo.from_row(row) for row in rows]

    def metrics(self, run_id: int, *, with_parents: bool = True) -> dict[str, list[tuple[int, float]]]:
        """Every point of every metric, in the order recorded.

        A resumed run starts where its checkpoint left off: with ``with_parents`` the curves
        of the run it resumed come first, up to the step where this run took over.
        """
        with self._lock:
            rows = self._conn.execute(
                "SELECT name, step, value FROM metrics WHERE run_id = ? ORDER BY rowid",
                (run_id,)).fetchall()
            parent = self._conn.execute("SELECT resumed_from FROM runs WHERE id = ?",
                                        (run_id,)).fetchone()
        series: dict[str, list[tuple[int, float]]] = {}
        for name, step, value in rows:
            series.setdefault(name, []).append((step, _value(value)))
        if with_parents and parent and parent[0] and parent[0] != run_id:
            earlier = self.metrics(parent[0], with_parents=True)
            for name, points in earlier.items():
                mine = series.get(name, [])
                cut = mine[0][0] if mine else math.inf
                series[name] = [p for p in points if p[0] < cut] + mine
        return series

    def output(self, run_id: int, limit_chars: int = 1 << 20) -> list[tuple[str, str]]:
        """The run's output chunks (the last ``limit_chars`` characters or so)."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT stream, text FROM run_output WHERE run_id = ? ORDER BY id DESC",
                (run_id,)).fetchall()
        kept, size = [], 0
        for stream, text in rows:
            kept.append((stream, text))
            size += len(text)
            if size >= limit_chars:
                break
        return kept[::-1]

    def state(self, run_id: int) -> dict[str, Any]:
        """The latest value of every state key."""
        with self._lock:
            rows = self._conn.execute("SELECT key, data FROM run_state WHERE run_id = ?",
                                      (run_id,)).fetchall()
        return {key: _json(data) for key, data in rows}

    def last_values(self, run_id: int) -> dict[str, float]:
        """The latest value of each metric of a run (from its state; older runs: from rows)."""
        with self._lock:
            row = self._conn.execute("SELECT data FROM run_state WHERE run_id = ? AND key = "
                                     "'last'", (run_id,)).fetchone()
            last = _json(row[0]) if row else None
            if isinstance(last, dict):
                return {str(k): _value(v) for k, v in last.items()}
            rows = self._conn.execute(
                "SELECT name, value FROM metrics WHERE rowid IN (SELECT max(rowid) FROM metrics "
                "WHERE run_id = ? GROUP BY name) ORDER BY rowid", (run_id,)).fetchall()
        return {name: _value(value) for name, value in rows}

    def read(self, run_id: int, cursor: Cursor) -> RunDelta:
        """Everything added since ``cursor`` (which is moved forward), as one snapshot."""

        def work(conn: sqlite3.Connection) -> RunDelta:
            row = conn.execute(f"{_SELECT} WHERE id = ?", (run_id,)).fetchone()
            delta = RunDelta(RunInfo.from_row(row) if row else None)
            for rowid, step, name, value in conn.execute(
                    "SELECT rowid, step, name, value FROM metrics WHERE run_id = ? AND rowid > ? "
                    "ORDER BY rowid", (run_id, cursor.metric)):
                delta.metrics.append((step, name, _value(value)))
                cursor.metric = rowid
            for rowid, stream, text in conn.execute(
                    "SELECT id, stream, text FROM run_output WHERE run_id = ? AND id > ? "
                    "ORDER BY id", (run_id, cursor.output)):
                delta.output.append((stream, text))
                cursor.output = rowid
            for key, seq, data in conn.execute(
                    "SELECT key, seq, data FROM run_state WHERE run_id = ? AND seq > ? "
                    "ORDER BY seq", (run_id, cursor.state)):
                delta.state[key] = _json(data)
                cursor.state = max(cursor.state, seq)
            return delta

        return self._transaction(work)

    def latest_reference(self, exercise: str, code_hash: str) -> RunInfo | None:
        """The newest finished reference-solution run of ``exercise`` for this solution file."""
        with self._lock:
            row = self._conn.execute(
                f"{_SELECT} WHERE kind = 'reference' AND exercise = ? AND code_hash = ? "
                f"AND status IN {_sql_in(('ok', *ACTIVE))} ORDER BY id DESC LIMIT 1",
                (exercise, code_hash)).fetchone()
        return RunInfo.from_row(row) if row else None

    # -------------------------------------------------------------- liveness
    def reap(self, alive: Callable[[RunInfo], bool],
             runs: Iterable[RunInfo] | None = None) -> list[int]:
        """Mark active runs (or just ``runs``) whose process is gone as ``lost``; their ids.

        ``alive(info)`` answers for runs on this host. Runs recorded by another host (a
        data folder on a shared home directory) are judged by their heartbeat.
        """
        lost = []
        now = time.time()
        for info in self.list(1000, active=True, kind=None) if runs is None else runs:
            if not info.local:
                gone = now - (info.heartbeat or info.started) > REMOTE_STALE_S
            elif info.pid is None:
                gone = now - info.started > STARTING_GRACE_S
            else:
                gone = not alive(info)
            if gone and self.finish(info.id, "lost", None,
                                    "The run's process ended without recording how it ended "
                                    "(killed, or the machine restarted)."):
                lost.append(info.id)
        return lost
