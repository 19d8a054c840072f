"""Report metrics, progress, plots and rollout frames from learner and lesson code.

Inside a homl-tui run these calls stream events to the app (JSON lines on a
dedicated pipe, never on stdout). Under plain ``python`` they do nothing, so a
learner can run their exercise file anywhere::

    from homl_tui import report

    for step in range(epochs):
        ...
        report.metric(step=step, loss=loss.item())
        report.progress(step + 1, epochs)

Events are buffered and flushed at most every 50 ms (and at exit), so calling
``report.metric`` in a tight loop costs microseconds, not a system call. A
background thread flushes what is left in the buffer, so the last event before
a long pause (``progress`` at the end of an epoch) is not held back.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import math
import os
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from homl_tui.runtime.events import ENV_FD, ENV_PATH, WORKER_KINDS

ENV_CHECKPOINT_DIR = "HOML_TUI_CHECKPOINT_DIR"
ENV_RESUME_FILE = "HOML_TUI_RESUME_FILE"
CHECKPOINT_FILE = "checkpoint.pt"
FLUSH_INTERVAL_S = 0.05
FLUSH_BYTES = 1 << 16
MAX_PLOT_POINTS = 4000
FRAME_MIN_INTERVAL_S = 1 / 30

_stream = None
_worker_fd: int | None = None  # a private copy of the pipe for homl-tui's worker (see there)
WORKER_FD_MIN = 1000
_buffer: list[str] = []
_buffered_bytes = 0
_last_flush = 0.0
_last_frame = 0.0
_step_counters: dict[str, int] = {}
_muted = 0
_captures: list[list[dict[str, Any]]] = []
_lock = threading.Lock()
_encode = json.JSONEncoder(separators=(",", ":"), default=str).encode  # built once: ~1.5 µs a call


def _flush_loop() -> None:
    while _stream is not None:
        time.sleep(FLUSH_INTERVAL_S)
        if _buffer:
            flush()


def _reset_lock_in_child() -> None:
    global _lock
    _lock = threading.Lock()


def _is_secondary_rank() -> bool:
    """True in a distributed worker other than rank 0 (``RANK`` set by torchrun/launchers)."""
    rank = os.environ.get("RANK", "0").strip()
    return rank not in ("", "0")


def _connect_from_env() -> None:
    """Open the event pipe homl-tui gave this process, or the one its parent run holds.

    The run's own process gets the pipe as a file descriptor (``HOML_TUI_EVENTS_FD``). It
    does not leak to child processes; instead they get ``HOML_TUI_EVENTS_PATH``, the pipe's
    ``/proc`` path, so a process the learner starts (``torchrun`` workers, a script run
    with ``subprocess``) reports too, while its parent is alive. In a distributed job only
    rank 0 reports, so curves are not drawn once per process.
    """
    global _stream, _worker_fd
    fd = os.environ.get(ENV_FD)
    path = os.environ.get(ENV_PATH)
    if not fd and not path:
        return
    try:
        if fd:
            os.set_inheritable(int(fd), False)
            import fcntl  # Unix only, like runs in homl-tui

            # Made now, before any thread starts: growing the descriptor table of a process
            # with threads waits for the kernel (RCU), some 10 ms.
            with contextlib.suppress(OSError):  # a low limit on open files: the worker dups
                _worker_fd = fcntl.fcntl(int(fd), fcntl.F_DUPFD_CLOEXEC, WORKER_FD_MIN)
            _stream = os.fdopen(int(fd), "w", encoding="utf-8", buffering=1 << 16, closefd=True)
            os.environ[ENV_PATH] = f"/proc/{os.getpid()}/fd/{int(fd)}"
        elif not _is_secondary_rank():
            _stream = open(path, "w", encoding="utf-8", buffering=1 << 16)  # noqa: SIM115
    except (OSError, ValueError):
        _stream = None
    os.environ.pop(ENV_FD, None)
    atexit.register(flush)
    if _stream is not None:
        os.register_at_fork(after_in_child=_reset_lock_in_child)
        threading.Thread(target=_flush_loop, name="homl-report-flush", daemon=True).start()


def enabled() -> bool:
    """True when running under homl-tui (events go somewhere)."""
    return _stream is not None


def _number(value: Any) -> float:
    if hasattr(value, "item"):
        value = value.item()
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(f"homl_tui.report needs numbers; got {type(value).__name__} "
                        f"{value!r:.40}") from None


def _finite_or_none(value: float) -> float | str:
    if math.isfinite(value):
        return value
    return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")


@contextlib.contextmanager
def muted() -> Iterator[None]:
    """Drop every event sent inside the block (used around reference solutions)."""
    global _muted
    _muted += 1
    try:
        yield
    finally:
        _muted -= 1


@contextlib.contextmanager
def capture() -> Iterator[list[dict[str, Any]]]:
    """Record every event sent inside the block (still passing it on to the app).

    Checks use it to verify that learner code streams what it should::

        with report.capture() as events:
            learner.train(...)
        steps = [e["step"] for e in events if e["kind"] == "metric"]

    It works under plain ``python`` too, and however the learner imported the
    functions (``from homl_tui.report import metric`` included).
    """
    events: list[dict[str, Any]] = []
    _captures.append(events)
    try:
        yield events
    finally:
        _captures.remove(events)


def _active() -> bool:
    return (_stream is not None or bool(_captures)) and not _muted


#: Kinds only homl-tui's worker sends (on its own copy of the pipe, see
#: :mod:`homl_tui.runtime.worker`): code under check cannot claim a verdict through this module.
RESERVED_KINDS = WORKER_KINDS


def emit(event: Mapping[str, Any]) -> None:
    """Queue one event (a JSON object with a ``kind``). No-op outside homl-tui.

    ``start``, ``check`` and ``end`` are refused (:class:`ValueError`): only homl-tui sends them.
    """
    global _buffered_bytes
    if event.get("kind") in RESERVED_KINDS:
        raise ValueError(f"report.emit cannot send a {event.get('kind')!r} event: only homl-tui "
                         "itself reports how a run started and ended, and the check's verdict")
    if not _active():
        return
    for events in _captures:
        events.append(dict(event))
    if _stream is None:
        return
    line = _encode(event) + "\n"
    with _lock:
        _buffer.append(line)
        _buffered_bytes += len(line)
        due = (_buffered_bytes >= FLUSH_BYTES
               or time.monotonic() - _last_flush >= FLUSH_INTERVAL_S)
    if due:
        flush()


def flush() -> None:
    """Write queued events now."""
    global _buffered_bytes, _last_flush, _stream
    with _lock:
        _last_flush = time.monotonic()
        if _stream is None or not _buffer:
            return
        data = "".join(_buffer)
        _buffer.clear()
        _buffered_bytes = 0
        try:
            _stream.write(data)
            _stream.flush()
        except (OSError, ValueError):
            _stream = None


def metric(step: int | None = None, *, run: str | None = None, **values: Any) -> None:
    """Record named scalar values, e.g. ``metric(step=3, loss=0.25, val_acc=0.9)``.

    Without ``step`` the call counter of the run is used. Values may be Python
    numbers, NumPy scalars or one-element tensors. NaN and infinities are kept
    (the app explains them).
    """
    if not _active() or not values:
        return
    key = run or ""
    if step is None:
        step = _step_counters.get(key, 0)
    _step_counters[key] = int(step) + 1
    event: dict[str, Any] = {
        "kind": "metric",
        "step": int(step),
        "values": {name: _finite_or_none(_number(v)) for name, v in values.items()},
    }
    if run:
        event["run"] = run
    emit(event)


def progress(done: float, total: float, note: str = "", unit: str = "") -> None:
    """Report how far a long job is, e.g. ``progress(epoch + 1, epochs)``.

    With a ``unit`` (``progress(seen, total_samples, unit="samples")``) the dashboard
    shows the rate (samples/s) and the time left.
    """
    if not _active():
        return
    event: dict[str, Any] = {"kind": "progress", "done": _number(done), "total": _number(total),
                             "note": note}
    if unit:
        event["unit"] = str(unit)
    emit(event)


_config: dict[str, Any] = {}


def config(**params: Any) -> None:
    """Record the settings of this run (``config(lr=0.01, batch_size=64)``).

    They are saved with the run, shown in the runs list, and label its curves when you
    compare runs. Values are kept as numbers or short strings.
    """
    if not _active() or not params:
        return
    for name, value in params.items():
        if hasattr(value, "item"):
            value = value.item()
        _config[str(name)] = value if isinstance(value, (int, float, bool)) else str(value)[:80]
    emit({"kind": "note", "config": dict(_config)})


# ----------------------------------------------------------------- checkpoints
def _checkpoint_file() -> Any:
    folder = os.environ.get(ENV_CHECKPOINT_DIR)
    if not folder:
        return None
    from pathlib import Path

    return Path(folder) / CHECKPOINT_FILE


def save_checkpoint(state: Mapping[str, Any], step: int) -> str | None:
    """Save ``state`` (state dicts, numbers, tensors) as the run's checkpoint at ``step``.

    Only a Run in homl-tui checkpoints (checks never do); elsewhere this does nothing and
    returns None. The file is replaced atomically, so a run killed while saving leaves the
    previous checkpoint intact. Returns the file's path.
    """
    path = _checkpoint_file()
    if path is None:
        return None
    import torch

    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    torch.save({"step": int(step), "state": dict(state)}, temporary)
    with open(temporary, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(temporary, path)
    emit({"kind": "note", "checkpoint": {"step": int(step), "path": str(path)}})
    flush()
    return str(path)


def load_checkpoint() -> tuple[dict[str, Any], int] | None:
    """``(state, step)`` of the checkpoint to resume from, or None to start from scratch.

    Returns something only when the learner asked to resume a stopped run (the runs
    screen's *resume*, or ``homl-tui runs resume ID``) and a checkpoint exists.
    """
    path = os.environ.get(ENV_RESUME_FILE)
    if not path or not os.path.isfile(path):
        return None
    import torch

    payload = torch.load(path, map_location="cpu", weights_only=True)
    step = int(payload["step"])
    emit({"kind": "note", "resumed": {"step": step, "path": path}})
    return payload["state"], step


def _as_list(values: Any) -> list[Any]:
    if hasattr(values, "detach"):
        values = values.detach().cpu().numpy()
    if hasattr(values, "tolist"):
        return values.tolist()
    return list(values)


def _thin(points: list[Any], limit: int = MAX_PLOT_POINTS) -> list[Any]:
    if len(points) <= limit:
        return points
    stride = math.ceil(len(points) / limit)
    return points[::stride]


def plot(
    name: str,
    y: Iterable[Any],
    x: Iterable[Any] | None = None,
    *,
    kind: str = "line",
    labels: Iterable[Any] | None = None,
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
    overlay: Mapping[str, tuple[Iterable[Any], Iterable[Any]]] | None = None,
) -> None:
    """Send a small data series for an ASCII plot.

    ``kind`` is ``line`` (y against x), ``scatter`` (points, optionally coloured
    by integer ``labels``), ``bar`` (``x`` are category names), ``image``
    (``y`` is a 2-D array of intensities, e.g. a digit) or ``matrix`` (``y`` is a
    2-D table of numbers drawn as shaded cells with their values, e.g. a confusion
    matrix; ``x`` names the classes). ``xlabel``/``ylabel`` name the axes.
    ``overlay`` adds named curves ``{name: (x, y)}`` drawn as lines over a line or
    scatter plot (a fitted model over its data, validation over training).
    """
    if not _active():
        return
    event: dict[str, Any] = {"kind": "plot", "name": name, "plot": kind, "title": title}
    if xlabel:
        event["xlabel"] = str(xlabel)
    if ylabel:
        event["ylabel"] = str(ylabel)
    if kind in ("image", "matrix"):
        event["image"] = [[_finite_or_none(float(v)) for v in row] for row in _as_list(y)]
        if x is not None:
            event["x"] = [str(v) for v in _as_list(x)]
    else:
        event["y"] = _thin([_finite_or_none(float(v)) for v in _as_list(y)])
        if x is not None:
            xs = _as_list(x)
            event["x"] = _thin(xs if kind == "bar" else [float(v) for v in xs])
        if labels is not None:
            event["labels"] = _thin([int(v) for v in _as_list(labels)])
        if overlay:
            event["overlay"] = {
                str(key): {
                    "x": _thin([float(v) for v in _as_list(ox)]),
                    "y": _thin([_finite_or_none(float(v)) for v in _as_list(oy)]),
                }
                for key, (ox, oy) in overlay.items()
            }
    emit(event)


def boundary(
    name: str,
    predict: Any,
    X: Any,
    y: Any,
    *,
    title: str = "",
    resolution: tuple[int, int] = (96, 48),
    xlabel: str = "",
    ylabel: str = "",
) -> None:
    """Send the decision regions of a classifier on 2-D data, with the points on top.

    ``predict`` maps an ``(m, 2)`` array to labels (``model.predict`` works); it is
    called once on a ``resolution`` grid covering ``X`` with a small margin. ``y``
    holds the points' true labels (any hashable values: they are listed as classes).
    """
    if not _active():
        return
    import numpy as np

    points = np.asarray(_as_list(X), dtype=float)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"report.boundary needs X of shape (n, 2), got {points.shape}")
    truth = np.asarray(_as_list(y)).reshape(-1)
    lo, hi = points.min(axis=0), points.max(axis=0)
    pad = np.where(hi > lo, (hi - lo) * 0.05, 0.5)
    lo, hi = lo - pad, hi + pad
    cols, rows = max(2, int(resolution[0])), max(2, int(resolution[1]))
    gx = np.linspace(lo[0], hi[0], cols)
    gy = np.linspace(hi[1], lo[1], rows)  # top row = largest y
    xx, yy = np.meshgrid(gx, gy)
    grid_pred = np.asarray(_as_list(predict(np.column_stack([xx.ravel(), yy.ravel()]))))
    grid_pred = grid_pred.reshape(-1)
    # 0/1 floats from one side and 0/1 ints from the other are the same classes.
    numeric = [a for a in (truth, grid_pred) if a.dtype.kind in "biuf"]
    if len(numeric) == 2 and all(np.all(np.mod(a, 1) == 0) for a in numeric if a.size):
        truth, grid_pred = truth.astype(np.int64), grid_pred.astype(np.int64)
    classes = sorted({*truth.tolist(), *grid_pred.tolist()}, key=lambda v: (str(type(v)), v))
    index = {c: i for i, c in enumerate(classes)}
    emit({
        "kind": "plot", "name": name, "plot": "boundary", "title": title,
        "xlabel": str(xlabel), "ylabel": str(ylabel),
        "classes": [str(c) for c in classes],
        "extent": [float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])],
        "grid": [[index[v] for v in row] for row in grid_pred.reshape(rows, cols).tolist()],
        "x": _thin([float(v) for v in points[:, 0]]),
        "y": _thin([float(v) for v in points[:, 1]]),
        "labels": _thin([index[v] for v in truth.tolist()]),
    })


def frame(
    env: Any = None,
    *,
    state: Iterable[Any] | None = None,
    text: str | None = None,
    step: int | None = None,
    episode: int | None = None,
    reward: float | None = None,
    force: bool = False,
) -> None:
    """Send one rollout frame: an environment's state vector and/or its text render.

    Pass a gymnasium environment (its id and state are read from it) or
    ``state``/``text`` directly. Frames sent to the app are capped at 30 per
    second unless ``force`` is true (the app shows the latest); :func:`capture`
    records every frame.
    """
    global _last_frame
    if not _active():
        return
    now = time.monotonic()
    throttled = not force and now - _last_frame < FRAME_MIN_INTERVAL_S
    if throttled and not _captures:
        return
    event: dict[str, Any] = {"kind": "frame"}
    if env is not None:
        spec = getattr(env, "spec", None)
        event["env"] = getattr(spec, "id", None) or type(env).__name__
        unwrapped = getattr(env, "unwrapped", env)
        if state is None and getattr(unwrapped, "state", None) is not None:
            raw = unwrapped.state
            state = raw if hasattr(raw, "__len__") else [raw]
        if text is None and getattr(env, "render_mode", None) == "ansi":
            text = str(env.render())
    if state is not None:
        event["state"] = [_finite_or_none(float(v)) for v in _as_list(state)]
    if text is not None:
        event["text"] = text[:8000]
    for key, value in (("step", step), ("episode", episode)):
        if value is not None:
            event[key] = int(value)
    if reward is not None:
        event["reward"] = _finite_or_none(_number(reward))
    if throttled:  # captured for checks, but not sent: the app shows at most 30 frames/s
        for events in _captures:
            events.append(dict(event))
        return
    _last_frame = now
    emit(event)


_connect_from_env()
