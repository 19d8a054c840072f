"""The dashboard of recorded runs: one run live or finished, or several overlaid to compare.

Opened from the runs screen (F6). The first run is the primary one (its header:
progress, rate, device, memory, log); the others are overlays drawn in their own
colours and named by their settings (``#12 lr=0.1``). Active runs keep streaming
(each is followed from the store, ten times a second, until it and the reference
run have ended); ``g`` adds the reference solution's curve. Escape goes back.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static

from homl_tui.runtime.detached import Follower
from homl_tui.store.runs import RunInfo
from homl_tui.ui.context import AppContext
from homl_tui.ui.ghost import start_ghost
from homl_tui.ui.widgets.dashboard import Dashboard

TICK_S = 0.1


class RunDashboardScreen(Screen[None]):
    """Live curves of recorded runs (``run_ids``: the first is the primary)."""

    DEFAULT_CSS = """
    RunDashboardScreen #title { height: 1; padding: 0 1; background: $boost; text-style: bold; }
    """
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, context: AppContext, run_ids: list[int]) -> None:
        super().__init__()
        self.context = context
        self.run_ids = run_ids
        self.infos: dict[int, RunInfo] = {}
        self._followers: dict[int, Follower] = {}
        self._timer: Timer | None = None
        self.dashboard = Dashboard(id="dashboard")

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield self.dashboard
        yield Footer()

    def on_mount(self) -> None:
        store = self.context.store
        if store is not None:
            for run_id in self.run_ids:
                info = store.runs.get(run_id)
                if info is not None:
                    self.infos[run_id] = info
                    self._followers[run_id] = Follower(store, run_id)
        primary = next(iter(self.infos.values()), None)
        title = "No such run." if primary is None else (
            f"{primary.title} · {primary.exercise} {primary.mode}"
            + (f"  vs  {', '.join(i.title for i in list(self.infos.values())[1:])}"
               if len(self.infos) > 1 else ""))
        self.query_one("#title", Static).update(title)
        self.dashboard.begin(primary.status if primary is not None else "lost")
        for run_id, info in list(self.infos.items())[1:]:
            self.dashboard.set_run(str(run_id), info.title, {})
        self._timer = self.set_interval(TICK_S, self._tick)
        self._tick()
        self.dashboard.focus()

    def _tick(self) -> None:
        if not self.is_attached:
            return
        changed = False
        primary = next(iter(self.infos), None)
        for run_id, follower in list(self._followers.items()):
            try:
                batch = follower.poll()
            except Exception:  # noqa: BLE001 - a busy store: next tick
                continue
            if run_id == primary:
                changed = self.dashboard.apply_batch(batch) or changed
            else:
                changed = self.dashboard.extend_run(str(run_id), batch.metrics) or changed
            if follower.ended:
                del self._followers[run_id]
        changed = self.dashboard.poll_reference() or changed
        if changed:
            self.dashboard.request_refresh()
        if not self._followers and self.dashboard.reference is None and self._timer is not None:
            self._timer.pause()  # every run ended: nothing more to read until ``g``

    def on_dashboard_ghost_requested(self, event: Dashboard.GhostRequested) -> None:
        primary = next(iter(self.infos.values()), None)
        try:
            exercise = self.context.course.select(primary.exercise)[0] if primary else None
        except KeyError:  # a run of a lesson that is no longer in the course
            exercise = None
        ghost, message = start_ghost(self.context, exercise)
        if ghost is None:
            self.notify(message, severity="warning")
            return
        event.dashboard.follow_reference(ghost)
        self.notify(message, timeout=4)
        if self._timer is not None:
            self._timer.resume()
