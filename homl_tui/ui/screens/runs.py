"""The run history: every run, live and past, to open, compare, stop, resume or forget.

The store is read about once a second in a thread worker; the table then redraws only
the cells whose text changed, so an idle history costs nothing. A run's last loss is read
from its curves only when it recorded something new, and only what is new; a long history
reads its curves a slice of time per refresh, so its rows show at once and its losses
fill in. Runs are stopped and resumed through :mod:`homl_tui.runtime.detached`, as
``homl-tui runs`` does.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from subprocess import Popen

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.worker import Worker, WorkerState

from homl_tui.runtime.detached import forget_run, reap, resume_run, stop_run
from homl_tui.store.runs import RunInfo
from homl_tui.ui.context import AppContext
from homl_tui.ui.run_rows import (
    Column,
    LossReader,
    RunRow,
    columns_for,
    detail_text,
    row_cells,
)
from homl_tui.ui.screens.confirm import ConfirmScreen

HISTORY_LIMIT = 200  # newest runs listed (active ones always are)
REFRESH_S = 1.0
LOSS_BUDGET_S = 0.1  # time per refresh spent reading curves for the loss column
STALE_HEARTBEAT_S = 3.0  # an active run silent this long is checked for a dead process
RIGHT_ALIGNED = ("time", "loss")
REFRESH_GROUP = "runs-refresh"
STOP_GROUP = "runs-stop"
FORGET_GROUP = "runs-forget"
EMPTY_TEXT = (
    "No runs yet. Run an exercise with ctrl+r: its curves are kept here, and a run "
    "keeps going when you quit or lose your SSH connection."
)
NO_STORE_TEXT = (
    "Run history needs the progress store, which could not be opened (see the "
    "message shown at start-up). Runs still work, but they are not kept."
)

RowState = tuple[RunRow, bool, bool]  # a row's data, whether marked, whether being stopped


@dataclass(frozen=True)
class Snapshot:
    """The runs to list; ``complete`` is False when some losses are still to be read."""

    rows: list[RunRow]
    complete: bool


class RunsScreen(Screen[None]):
    """Run history: enter opens a run's dashboard (or compares the marked runs), space marks,
    x stops, r resumes from a checkpoint, d forgets a finished run."""

    DEFAULT_CSS = """
    RunsScreen #runs-title { height: 1; padding: 0 1; background: $primary; color: $text;
                             text-style: bold; }
    RunsScreen DataTable { height: 1fr; }
    RunsScreen #runs-detail { height: 2; padding: 0 1; background: $boost;
                              text-wrap: nowrap; text-overflow: ellipsis; }
    RunsScreen #runs-message { height: 1fr; padding: 1 2; color: $text-muted; display: none; }
    RunsScreen.-empty #runs-message { display: block; }
    RunsScreen.-empty DataTable, RunsScreen.-empty #runs-detail { display: none; }
    """
    BINDINGS = [
        Binding("enter", "open", "Open", priority=True),
        Binding("space", "mark", "Mark"),
        Binding("x", "stop", "Stop"),
        Binding("r", "resume", "Resume"),
        Binding("d", "forget", "Forget"),
        Binding("escape", "back", "Back"),
        Binding("f6", "app.show_runs", "Runs", show=False),
    ]

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.marked: set[int] = set()
        self.polls = 0  # snapshots of the store shown
        self.redraws = 0  # snapshots that changed the table
        self._rows: dict[int, RunRow] = {}
        self._order: list[int] = []
        self._columns: tuple[Column, ...] = ()
        self._shown: dict[int, tuple[RowState, tuple[Text, ...]]] = {}  # what the table shows
        self._shown_order: list[int] = []
        self._stopping: set[int] = set()
        self._processes: list[Popen[bytes]] = []  # resumed runs' supervisors, to reap
        self._losses: dict[int, LossReader] = {}
        self._collecting = threading.Lock()  # one refresh worker at a time reads the store
        self._reaped = False
        self._focus_run: int | None = None
        self._store_error = ""
        self._texts: dict[str, Text] = {}

    # ---------------------------------------------------------------- compose
    def compose(self) -> ComposeResult:
        yield Static("Runs", id="runs-title")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="runs-table")
        yield Static(id="runs-detail")
        yield Static(EMPTY_TEXT if self.context.store else NO_STORE_TEXT, id="runs-message")
        yield Footer()

    @property
    def table(self) -> DataTable:
        return self.query_one("#runs-table", DataTable)

    def on_mount(self) -> None:
        self._set_columns(columns_for(self.app.size.width))
        self.table.focus()
        if self.context.store is None:
            self.add_class("-empty")
            return
        self.set_interval(REFRESH_S, self.refresh_runs)
        self.refresh_runs()

    def on_screen_resume(self) -> None:
        self.refresh_runs()

    def on_resize(self, event: Resize) -> None:
        columns = columns_for(event.size.width)
        if columns != self._columns:
            self._set_columns(columns)
            self._redraw()

    # ------------------------------------------------------------ refreshing
    def refresh_runs(self) -> None:
        """Read the store again (in a thread) when this screen is on top."""
        if self.context.store is None or not self.is_current:
            return
        self._processes = [p for p in self._processes if p.poll() is None]
        self.run_worker(
            self._collect, thread=True, exclusive=True, group=REFRESH_GROUP, exit_on_error=False
        )

    def _collect(self) -> Snapshot:
        """The runs to list, active ones first (runs in the worker thread)."""
        with self._collecting:
            return self._snapshot()

    def _snapshot(self) -> Snapshot:
        store = self.context.store
        assert store is not None
        if not self._reaped:
            reap(store)
            self._reaped = True
        infos = self._infos()
        now = time.time()
        silent = any(
            i.active and now - (i.heartbeat or i.started) > STALE_HEARTBEAT_S for i in infos
        )
        if silent and reap(store):
            infos = self._infos()
        infos.sort(key=lambda info: (not info.active, -info.id))
        listed = {info.id for info in infos}
        self._losses = {run_id: r for run_id, r in self._losses.items() if run_id in listed}
        deadline = time.monotonic() + LOSS_BUDGET_S
        rows = [self._row(info, time.monotonic() < deadline) for info in infos]
        return Snapshot(rows, all(row.loss_read for row in rows))

    def _infos(self) -> list[RunInfo]:
        runs = self.context.store.runs  # type: ignore[union-attr]
        infos = runs.list(HISTORY_LIMIT, kind=None)
        listed = {info.id for info in infos}
        return infos + [
            info
            for info in runs.list(HISTORY_LIMIT, active=True, kind=None)
            if info.id not in listed
        ]

    def _row(self, info: RunInfo, may_read: bool) -> RunRow:
        """The run with its last loss, read (if ``may_read``) only when the run recorded
        something since the last read; else the loss read before, if any."""
        reader = self._losses.setdefault(info.id, LossReader())
        if reader.read_at == (info.status, info.heartbeat):
            return RunRow(info, reader.value)
        if not may_read:
            return RunRow(info, reader.value, loss_read=False)
        return RunRow(info, reader.read(self.context.store.runs, info))  # type: ignore[union-attr]

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group == REFRESH_GROUP:
            if event.state == WorkerState.SUCCESS and worker.result is not None:
                self._store_error = ""
                self._show(worker.result.rows)
                if not worker.result.complete:
                    self.refresh_runs()
            elif event.state == WorkerState.ERROR and str(worker.error) != self._store_error:
                self._store_error = str(worker.error)
                self.notify(f"Cannot read the run history: {worker.error}", severity="error")
        elif worker.group == STOP_GROUP and event.state in (WorkerState.SUCCESS, WorkerState.ERROR):
            run_id = int(worker.name)
            self._stopping.discard(run_id)
            if event.state == WorkerState.ERROR:
                self.notify(f"Could not stop run #{run_id}: {worker.error}", severity="error")
            else:
                info = worker.result
                self.notify(f"Run #{run_id} stopped ({info.status if info else 'gone'}).")
            self.refresh_runs()
        elif worker.group == FORGET_GROUP and event.state in (WorkerState.SUCCESS,
                                                              WorkerState.ERROR):
            run_id = int(worker.name)
            if event.state == WorkerState.ERROR:  # a locked or read-only store: say it
                self.notify(f"Could not forget run #{run_id}: {worker.error}", severity="error")
            elif not worker.result:
                self.notify(f"Run #{run_id} is still going: stop it first.")
            else:
                self.marked.discard(run_id)
                self.notify(f"Run #{run_id} forgotten.")
                self.refresh_runs()

    def _show(self, rows: list[RunRow]) -> None:
        self.polls += 1
        self._rows = {row.info.id: row for row in rows}
        self._order = [row.info.id for row in rows]
        self.marked &= set(self._rows)
        self._redraw()

    # --------------------------------------------------------------- drawing
    def _set_columns(self, columns: tuple[Column, ...]) -> None:
        table = self.table
        table.clear(columns=True)
        for column in columns:
            justify = "right" if column.key in RIGHT_ALIGNED else "left"
            table.add_column(
                Text(column.header, justify=justify), width=column.width, key=column.key
            )
        self._columns = columns
        self._shown, self._shown_order = {}, []

    def _redraw(self) -> None:
        """Bring the table in line with the rows: only the cells that changed are updated,
        and only the rows of active runs, or of runs that changed, are formatted again."""
        now = time.time()
        table = self.table
        rebuild = self._order != self._shown_order
        changed = rebuild
        shown: dict[int, tuple[RowState, tuple[Text, ...]]] = {}
        for run_id in self._order:
            row = self._rows[run_id]
            key = (row, run_id in self.marked, run_id in self._stopping)
            old = self._shown.get(run_id)
            if old is not None and old[0] == key and not row.info.active:
                shown[run_id] = old
                continue
            cells = row_cells(row, self._columns, now=now, marked=key[1], stopping=key[2])
            shown[run_id] = (key, cells)
            if not rebuild and old is not None:
                for column, before, after in zip(self._columns, old[1], cells, strict=True):
                    if before != after:
                        table.update_cell(str(run_id), column.key, after)
                        changed = True
        if rebuild:
            current = self._focus_run or self.highlighted
            table.clear()
            for run_id in self._order:
                table.add_row(*shown[run_id][1], key=str(run_id))
            if current in self._rows:
                table.move_cursor(row=self._order.index(current))
                self._focus_run = None
        self._shown, self._shown_order = shown, list(self._order)
        self.set_class(not self._order, "-empty")
        if changed:
            self.redraws += 1
        self._update_title()
        self._update_detail(now)

    def _update_title(self) -> None:
        active = sum(row.info.active for row in self._rows.values())
        parts = ["Runs"]
        if len(self._rows) >= HISTORY_LIMIT:
            parts.append(f"the last {len(self._rows)} (homl-tui runs --all lists all)")
        elif self._rows:
            parts.append(f"{len(self._rows)} kept")
        if active:
            parts.append(f"{active} going")
        if self.marked:
            parts.append(f"{len(self.marked)} marked: enter compares them")
        self._set_text("#runs-title", Text(" · ".join(parts)))

    def _update_detail(self, now: float | None = None) -> None:
        row = self._rows.get(self.highlighted or -1)
        text = detail_text(row.info, now or time.time()) if row else Text()
        self._set_text("#runs-detail", text)

    def _set_text(self, selector: str, text: Text) -> None:
        if self._texts.get(selector) != text:
            self._texts[selector] = text
            self.query_one(selector, Static).update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._update_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    # --------------------------------------------------------------- actions
    @property
    def highlighted(self) -> int | None:
        """The id of the run under the cursor."""
        row = self.table.cursor_row
        return self._shown_order[row] if 0 <= row < len(self._shown_order) else None

    def _highlighted_run(self) -> RunInfo | None:
        if self.context.store is None:
            self.notify(NO_STORE_TEXT, severity="warning")
            return None
        run_id = self.highlighted
        if run_id is None:
            self.notify("No run here yet: run an exercise with ctrl+r.")
            return None
        return self._rows[run_id].info

    def action_open(self) -> None:
        info = self._highlighted_run()
        if info is None:
            return
        run_ids = sorted(self.marked) if self.marked else [info.id]
        self.app.open_run_dashboard(run_ids)  # type: ignore[attr-defined]

    def action_mark(self) -> None:
        info = self._highlighted_run()
        if info is None:
            return
        self.marked ^= {info.id}
        self._redraw()
        if len(self.marked) == 1:
            self.notify("Mark another run with space, then press enter to compare them.", timeout=4)

    def action_stop(self) -> None:
        info = self._highlighted_run()
        if info is None:
            return
        if not info.active:
            self.notify(f"Run #{info.id} already ended ({info.status}).")
            return
        if info.id in self._stopping:
            self.notify(f"Run #{info.id} is being stopped.")
            return
        self._confirm(f"Stop run #{info.id} ({info.exercise})?\n\nIt is recorded as cancelled; "
                      "its curves so far are kept.", "Stop", "Keep going",
                      lambda: self._stop(info.id))

    def _confirm(self, question: str, confirm: str, cancel: str, then: Callable[[], None]
                 ) -> None:
        """Ask ``question``; call ``then`` if the learner confirms."""
        self.app.push_screen(ConfirmScreen(question, confirm=confirm, cancel=cancel),
                             lambda yes: then() if yes else None)

    def _stop(self, run_id: int) -> None:
        store = self.context.store
        assert store is not None
        self._stopping.add(run_id)
        self._redraw()
        self._in_thread(STOP_GROUP, run_id, lambda: stop_run(store, run_id))

    def _in_thread(self, group: str, run_id: int, work: Callable[[], object]) -> None:
        """Run ``work`` for run ``run_id`` in a thread; ``on_worker_state_changed`` reports."""
        self.run_worker(work, thread=True, group=group, name=str(run_id), exit_on_error=False)

    def action_resume(self) -> None:
        info = self._highlighted_run()
        if info is None:
            return
        if info.active:
            self.notify(f"Run #{info.id} is still going: stop it first.")
            return
        store = self.context.store
        assert store is not None
        try:
            run_id, process = resume_run(store, info, log_dir=self.context.runs_dir)
        except ValueError as exc:
            self.notify(f"{str(exc)[0].upper()}{str(exc)[1:]}.", severity="warning")
            return
        except Exception as exc:  # noqa: BLE001 - a damaged spec, a full disk: say it
            self.notify(f"Could not resume run #{info.id}: {exc}", severity="error")
            return
        self._processes.append(process)
        self._focus_run = run_id
        self.notify(f"Run #{run_id} resumes run #{info.id} from its checkpoint.")
        self.refresh_runs()

    def action_forget(self) -> None:
        info = self._highlighted_run()
        if info is None:
            return
        if info.active:
            self.notify(f"Run #{info.id} is still going: stop it first.")
            return
        self._confirm(f"Forget run #{info.id} ({info.exercise}, {info.status})?\n\nIts curves "
                      "and output are deleted.", "Forget", "Keep", lambda: self._forget(info.id))

    def _forget(self, run_id: int) -> None:
        """Delete the run and its checkpoint in a thread; said when done (see the worker)."""
        store = self.context.store
        assert store is not None
        self._in_thread(FORGET_GROUP, run_id, lambda: forget_run(store, run_id))

    def action_back(self) -> None:
        self.app.pop_screen()
