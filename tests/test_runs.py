"""Run history in SQLite (homl_tui.store.runs): rows, metrics, output, live state, followers."""

from __future__ import annotations

import math
import sqlite3
import time

import pytest

from homl_tui.runtime.batch import coalesce
from homl_tui.runtime.recording import batch_from_delta, record_batch
from homl_tui.store import Store
from homl_tui.store.runs import Cursor, RunInfo


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "homl.sqlite3")
    yield store
    store.close()


def test_a_new_run_is_starting_with_its_settings(store):
    run_id = store.runs.create("demo/add", "run", spec='{"mode": "run"}', seed=3, code_hash="abc",
                               device="auto")
    info = store.runs.get(run_id)
    assert (info.exercise, info.mode, info.status, info.seed, info.code_hash) == (
        "demo/add", "run", "starting", 3, "abc")
    assert info.active and info.ended is None and info.kind == "learner"
    assert store.runs.spec(run_id) == '{"mode": "run"}'


def test_metrics_round_trip_including_nan_and_infinity(store):
    run_id = store.runs.create("demo/add", "run")
    store.runs.record(run_id, metrics=[(0, "loss", 1.0), (1, "loss", math.nan), (2, "loss", 0.25),
                                       (0, "acc", math.inf)])
    series = store.runs.metrics(run_id)
    assert [s for s, _ in series["loss"]] == [0, 1, 2]
    values = [v for _, v in series["loss"]]
    assert values[0] == 1.0 and math.isnan(values[1]) and values[2] == 0.25
    assert series["acc"] == [(0, math.inf)]


def test_metrics_of_separate_runs_stay_separate(store):
    a, b = store.runs.create("demo/add", "run"), store.runs.create("demo/add", "run")
    store.runs.record(a, metrics=[(0, "loss", 1.0)])
    store.runs.record(b, metrics=[(0, "loss", 2.0), (1, "loss", 3.0)])
    assert store.runs.metrics(a) == {"loss": [(0, 1.0)]}
    assert store.runs.metrics(b) == {"loss": [(0, 2.0), (1, 3.0)]}


def test_a_failed_batch_is_rolled_back_whole(store):
    run_id = store.runs.create("demo/add", "run")
    with pytest.raises(ValueError):
        store.runs.record(run_id, metrics=[(0, "loss", 1.0), (1, "loss", 2.0), (2,)],  # type: ignore[list-item]
                          output=[("stdout", "hello")])
    assert store.runs.metrics(run_id) == {} and store.runs.output(run_id) == []


def test_a_reader_gets_only_what_is_new_each_time(store):
    runs = store.runs
    run_id = runs.create("demo/add", "run")
    cursor = Cursor()
    runs.record(run_id, metrics=[(0, "loss", 1.0)], output=[("stdout", "a\n")],
                state={"progress": {"done": 1, "total": 4}})
    first = runs.read(run_id, cursor)
    assert first.metrics == [(0, "loss", 1.0)] and first.output == [("stdout", "a\n")]
    assert first.state == {"progress": {"done": 1, "total": 4}}
    assert runs.read(run_id, cursor).metrics == [] and runs.read(run_id, cursor).state == {}
    runs.record(run_id, metrics=[(1, "loss", 0.5)], state={"progress": {"done": 2, "total": 4}})
    second = runs.read(run_id, cursor)
    assert second.metrics == [(1, "loss", 0.5)] and second.output == []
    assert second.state == {"progress": {"done": 2, "total": 4}}


def test_a_reader_of_another_run_does_not_see_this_runs_rows(store):
    a, b = store.runs.create("demo/add", "run"), store.runs.create("demo/add", "run")
    store.runs.record(b, metrics=[(0, "loss", 9.0)], output=[("stdout", "b")])
    delta = store.runs.read(a, Cursor())
    assert delta.metrics == [] and delta.output == [] and delta.info.id == a


def test_finishing_is_once_only_and_keeps_the_first_verdict(store):
    run_id = store.runs.create("demo/add", "check")
    assert store.runs.finish(run_id, "ok", "PASS", "All checks passed.", device="cuda")
    assert not store.runs.finish(run_id, "lost", None, "gone")
    info = store.runs.get(run_id)
    assert (info.status, info.outcome, info.device) == ("ok", "PASS", "cuda")
    assert info.ended >= info.started and not info.active


def test_active_runs_cannot_be_deleted_finished_ones_go_with_their_data(store):
    run_id = store.runs.create("demo/add", "run")
    store.runs.record(run_id, metrics=[(0, "loss", 1.0)], output=[("stdout", "x")],
                      state={"frame": {"kind": "frame"}})
    assert not store.runs.delete(run_id)
    store.runs.finish(run_id, "ok")
    assert store.runs.delete(run_id)
    assert store.runs.get(run_id) is None
    assert store.runs.metrics(run_id) == {} and store.runs.state(run_id) == {}


def test_listing_is_newest_first_and_filters(store):
    first = store.runs.create("demo/add", "check")
    second = store.runs.create("stream/descend", "run")
    reference = store.runs.create("demo/add", "run", kind="reference")
    store.runs.finish(first, "failed", "FAIL")
    assert [r.id for r in store.runs.list()] == [second, first]
    assert [r.id for r in store.runs.list(kind=None)] == [reference, second, first]
    assert [r.id for r in store.runs.list(active=True)] == [second]
    assert [r.id for r in store.runs.list(exercise="demo/add")] == [first]
    assert store.runs.list(limit=1)[0].id == second


def test_config_is_kept_and_titles_the_run(store):
    run_id = store.runs.create("demo/add", "run")
    store.runs.update(run_id, config={"lr": 0.1, "batch": 64})
    info = store.runs.get(run_id)
    assert info.config == {"lr": 0.1, "batch": 64}
    assert info.title == f"#{run_id} lr=0.1, batch=64"
    with pytest.raises(ValueError, match="not a run column"):
        store.runs.update(run_id, exercise="other")


def test_a_resumed_run_continues_its_parents_curves(store):
    parent = store.runs.create("demo/add", "run")
    store.runs.record(parent, metrics=[(s, "loss", 10.0 - s) for s in range(8)])
    store.runs.finish(parent, "cancelled")
    child = store.runs.create("demo/add", "run", resumed_from=parent)
    store.runs.record(child, metrics=[(s, "loss", 100.0 + s) for s in range(5, 9)])
    steps = [s for s, _ in store.runs.metrics(child)["loss"]]
    assert steps == [0, 1, 2, 3, 4, 5, 6, 7, 8]
    assert store.runs.metrics(child)["loss"][5] == (5, 105.0)  # the resumed run's own value
    assert [s for s, _ in store.runs.metrics(child, with_parents=False)["loss"]] == [5, 6, 7, 8]


def test_reap_marks_dead_runs_lost_and_leaves_live_ones(store):
    live = store.runs.create("demo/add", "run")
    dead = store.runs.create("demo/add", "run")
    store.runs.update(live, pid=111, status="running")
    store.runs.update(dead, pid=222, status="running")
    lost = store.runs.reap(lambda info: info.pid == 111)
    assert lost == [dead]
    assert store.runs.get(dead).status == "lost" and store.runs.get(live).status == "running"


def test_reap_judges_runs_of_another_host_by_their_heartbeat(store):
    fresh = store.runs.create("demo/add", "run")
    stale = store.runs.create("demo/add", "run")
    with store._lock:  # noqa: SLF001 - a row written by another machine
        store._conn.execute("UPDATE runs SET host = 'elsewhere', pid = 1, status = 'running'")
        store._conn.execute("UPDATE runs SET heartbeat = ? WHERE id = ?", (time.time() - 600, stale))
    assert store.runs.reap(lambda info: False) == [stale]
    assert store.runs.get(fresh).active


def test_a_run_stuck_starting_without_a_process_is_lost_after_a_grace_period(store):
    run_id = store.runs.create("demo/add", "run")
    assert store.runs.reap(lambda info: False) == []
    with store._lock:  # noqa: SLF001
        store._conn.execute("UPDATE runs SET started = started - 60")
    assert store.runs.reap(lambda info: False) == [run_id]


def test_batches_survive_the_round_trip_through_the_store(store):
    run_id = store.runs.create("demo/add", "check")
    events = [
        {"kind": "note", "device": "cpu", "device_name": "CPU"},
        {"kind": "note", "config": {"lr": 0.5}},
        {"kind": "stdout", "text": "hello\n"},
        {"kind": "metric", "step": 3, "values": {"loss": 0.5}},
        {"kind": "progress", "done": 2, "total": 4, "unit": "samples"},
        {"kind": "plot", "name": "curve", "y": [1, 2]},
        {"kind": "frame", "state": [0.1]},
        {"kind": "check", "outcome": "PASS", "message": "ok"},
        {"kind": "end", "status": "ok", "outcome": "PASS"},
    ]
    record_batch(store.runs, run_id, coalesce(events), now=123.0)
    batch = batch_from_delta(store.runs.read(run_id, Cursor()))
    assert batch.metrics == [(3, "loss", 0.5)] and batch.output == [("stdout", "hello\n")]
    assert batch.progress == {"kind": "progress", "done": 2, "total": 4, "unit": "samples",
                              "t": 123.0}
    assert batch.plots["curve"]["y"] == [1, 2] and batch.frame["state"] == [0.1]
    assert batch.check["outcome"] == "PASS" and batch.end["status"] == "ok"
    assert batch.device == ("cpu", "CPU") and batch.notes["config"] == {"lr": 0.5}
    info: RunInfo = store.runs.get(run_id)
    assert (info.device, info.device_name, info.config) == ("cpu", "CPU", {"lr": 0.5})


def test_a_schema_1_database_is_migrated_with_its_runs_kept(tmp_path):
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.executescript("""
            CREATE TABLE runs (id INTEGER PRIMARY KEY, exercise TEXT NOT NULL, mode TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'running', outcome TEXT,
                device TEXT NOT NULL DEFAULT '', seed INTEGER NOT NULL DEFAULT 0,
                code_hash TEXT NOT NULL DEFAULT '', pid INTEGER, started REAL NOT NULL,
                ended REAL);
            CREATE TABLE metrics (run_id INTEGER NOT NULL, step INTEGER NOT NULL,
                name TEXT NOT NULL, value REAL);
            CREATE INDEX metrics_run ON metrics(run_id, name, step);
            INSERT INTO runs (exercise, mode, status, started, ended) VALUES ('demo/add', 'run',
                'ok', 1.0, 2.0);
            INSERT INTO metrics VALUES (1, 0, 'loss', 0.5);
            PRAGMA user_version = 1;
        """)
    store = Store(path)
    try:
        (info,) = store.runs.list()
        assert (info.exercise, info.status, info.kind, info.config) == ("demo/add", "ok",
                                                                         "learner", {})
        assert store.runs.metrics(info.id) == {"loss": [(0, 0.5)]}
        assert store.notice == ""
    finally:
        store.close()


def test_last_values_come_from_the_state_or_else_from_the_rows(store):
    recorded = store.runs.create("demo/add", "run")
    store.runs.record(recorded, metrics=[(0, "loss", 2.0), (1, "loss", 1.0), (1, "acc", 0.5)])
    assert store.runs.last_values(recorded) == {"loss": 1.0, "acc": 0.5}
    store.runs.record(recorded, state={"last": {"loss": 0.25, "acc": 0.75}})
    assert store.runs.last_values(recorded) == {"loss": 0.25, "acc": 0.75}
    assert store.runs.last_values(store.runs.create("demo/add", "run")) == {}
