"""The reporting API (homl_tui.report): a no-op under plain python, events on a pipe under homl-tui."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import time

from conftest import ROOT, dedent, run_python, subprocess_env

from homl_tui import report
from homl_tui.runtime.events import parse_line

EVERY_CALL = """
    import numpy as np
    from homl_tui import report

    report.metric(loss=1.0)
    report.metric(step=3, loss=float("nan"), acc=np.float32(0.5))
    report.progress(1, 2, "half")
    report.plot("curve", [1, 2, 3], [0, 1, 2])
    report.plot("digits", [[0, 1], [1, 0]], kind="image")
    report.plot("bars", [3, 4], ["a", "b"], kind="bar")
    report.plot("cm", [[3, 1], [0, 4]], ["a", "b"], kind="matrix")
    report.boundary("regions", lambda P: (P[:, 0] > 0).astype(int), np.eye(2), [0, 1])
    report.frame(state=[0.1, 0.2], text="|o|", step=1, episode=0, reward=1.0, force=True)
    report.emit({"kind": "note", "text": "hi"})
    with report.muted():
        report.metric(loss=2.0)
    report.flush()
    assert not report.enabled()
"""


def run_with_pipe(code: str) -> tuple[list[dict], str]:
    """Run ``code`` with an event pipe as homl-tui does; return parsed events and its stdout."""
    read_fd, write_fd = os.pipe()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-c", dedent(code)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL, text=True, pass_fds=(write_fd,), cwd=ROOT,
            env=subprocess_env(HOML_TUI_EVENTS_FD=str(write_fd)))
    finally:
        os.close(write_fd)
    with os.fdopen(read_fd, "rb") as pipe:
        lines = pipe.read().splitlines()
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr
    events = [parse_line(line) for line in lines]
    assert None not in events, lines
    return events, stdout


def of(events: list[dict], kind: str) -> list[dict]:
    return [e for e in events if e["kind"] == kind]


# ------------------------------------------------------------ outside homl-tui


def test_every_function_is_a_silent_no_op_under_plain_python():
    proc = run_python(EVERY_CALL)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert proc.stderr == ""


def test_not_enabled_in_the_test_process():
    assert report.enabled() is False
    report.metric(loss=1.0)
    report.flush()


# --------------------------------------------------------------- with a pipe


def test_events_go_to_the_pipe_and_nothing_to_stdout():
    events, stdout = run_with_pipe(EVERY_CALL.replace("assert not report.enabled()",
                                                      "assert report.enabled()"))
    assert stdout == ""
    kinds = [e["kind"] for e in events]
    assert kinds == ["metric", "metric", "progress"] + ["plot"] * 5 + ["frame", "note"]


def test_event_fd_is_not_inherited_by_grandchildren():
    events, _ = run_with_pipe("""
        import os
        from homl_tui import report
        report.emit({"kind": "note", "inheritable": os.get_inheritable(report._stream.fileno()),
                     "env": os.environ.get("HOML_TUI_EVENTS_FD")})
    """)
    assert events == [{"kind": "note", "inheritable": False, "env": None}]


def test_metric_values_nan_numpy_scalars_and_tensors():
    events, _ = run_with_pipe("""
        import numpy as np, torch
        from homl_tui import report
        report.metric(step=5, loss=float("nan"), up=float("inf"), down=-float("inf"),
                      acc=np.float32(0.25), n=np.int64(3), t=torch.tensor(1.5),
                      t1=torch.tensor([2.5]))
    """)
    (event,) = events
    assert event["step"] == 5
    values = event["values"]
    assert math.isnan(values["loss"])
    assert values["up"] == math.inf and values["down"] == -math.inf
    assert values["acc"] == 0.25 and values["n"] == 3.0
    assert values["t"] == 1.5 and values["t1"] == 2.5


def test_metric_without_step_counts_calls_per_run():
    events, _ = run_with_pipe("""
        from homl_tui import report
        report.metric(loss=1.0)
        report.metric(loss=0.9)
        report.metric(run="val", loss=1.2)
        report.metric(step=10, loss=0.5)
        report.metric(loss=0.4)
    """)
    assert [(e.get("run"), e["step"]) for e in events] == [
        (None, 0), (None, 1), ("val", 0), (None, 10), (None, 11)]


def test_metric_without_values_sends_nothing():
    events, _ = run_with_pipe("""
        from homl_tui import report
        report.metric(step=1)
    """)
    assert events == []


def test_muted_drops_events_inside_the_block_only():
    events, _ = run_with_pipe("""
        from homl_tui import report
        with report.muted():
            report.metric(hidden=1.0)
            with report.muted():
                report.emit({"kind": "note", "hidden": True})
            report.metric(hidden=2.0)
        report.metric(shown=3.0)
    """)
    assert events == [{"kind": "metric", "step": 0, "values": {"shown": 3.0}}]


def test_progress_event_has_done_total_and_note():
    events, _ = run_with_pipe("""
        import numpy as np
        from homl_tui import report
        report.progress(np.int64(3), 10, "epoch 3")
    """)
    assert events == [{"kind": "progress", "done": 3.0, "total": 10.0, "note": "epoch 3"}]


def test_long_plots_are_thinned_keeping_the_first_point():
    events, _ = run_with_pipe("""
        import numpy as np
        from homl_tui import report
        x = np.arange(100_000)
        report.plot("long", np.sin(x / 1000), x, labels=x % 3, kind="scatter")
    """)
    (event,) = events
    assert 1000 < len(event["y"]) <= report.MAX_PLOT_POINTS
    assert len(event["x"]) == len(event["y"]) == len(event["labels"])
    assert event["x"][0] == 0.0 and event["y"][0] == 0.0


def test_plot_keeps_nan_and_sends_images_as_rows():
    events, _ = run_with_pipe("""
        import numpy as np
        from homl_tui import report
        report.plot("y", [1.0, float("nan")])
        report.plot("img", np.eye(2), kind="image", title="identity")
    """)
    line, image = events
    assert line["y"][0] == 1.0 and line["y"][1] == "nan"
    assert image["plot"] == "image" and image["title"] == "identity"
    assert image["image"] == [[1.0, 0.0], [0.0, 1.0]]


def test_frames_are_rate_limited_unless_forced():
    events, _ = run_with_pipe("""
        from homl_tui import report
        for i in range(200):
            report.frame(state=[i], step=i)
        for i in range(5):
            report.frame(text="forced", force=True)
    """)
    limited = [e for e in of(events, "frame") if "state" in e]
    forced = [e for e in of(events, "frame") if e.get("text") == "forced"]
    assert 1 <= len(limited) < 20
    assert limited[0]["step"] == 0
    assert len(forced) == 5


def test_frame_reads_state_and_ansi_text_from_an_environment():
    events, _ = run_with_pipe("""
        from homl_tui import report

        class Spec:
            id = "Toy-v0"

        class Env:
            spec = Spec()
            render_mode = "ansi"
            state = (0.5, -1.0)
            def render(self):
                return "[ o ]"

        report.frame(Env(), step=2, episode=1, reward=float("nan"))
    """)
    assert events == [{"kind": "frame", "env": "Toy-v0", "state": [0.5, -1.0],
                       "text": "[ o ]", "step": 2, "episode": 1, "reward": "nan"}]


def test_the_last_event_before_a_long_pause_is_not_held_back():
    read_fd, write_fd = os.pipe()
    code = """
        import time
        from homl_tui import report
        report.metric(step=0, loss=1.0)
        report.progress(1, 10)
        time.sleep(3)
    """
    try:
        proc = subprocess.Popen([sys.executable, "-c", dedent(code)], pass_fds=(write_fd,),
                                cwd=ROOT, env=subprocess_env(HOML_TUI_EVENTS_FD=str(write_fd)))
    finally:
        os.close(write_fd)
    arrivals = {}
    with os.fdopen(read_fd, "rb", buffering=0) as pipe:
        while len(arrivals) < 2:
            chunk = pipe.read(65536)
            if not chunk:
                break
            for raw in chunk.splitlines():
                arrivals[parse_line(raw)["kind"]] = time.monotonic()
    proc.kill()
    proc.wait()
    assert set(arrivals) == {"metric", "progress"}
    assert arrivals["progress"] - arrivals["metric"] < 1.0


def test_a_closed_pipe_does_not_crash_the_learner():
    _, stdout = run_with_pipe("""
        import os
        from homl_tui import report
        os.close(report._stream.fileno())
        for i in range(10):
            report.metric(loss=float(i))
            report.flush()
        print("still alive")
    """)
    assert stdout == "still alive\n"


def test_matrix_plot_sends_rows_class_names_and_axis_labels():
    events, _ = run_with_pipe("""
        import numpy as np
        from homl_tui import report
        report.plot("cm", np.array([[5, 1], [2, 7]]), ["cat", "dog"], kind="matrix",
                    xlabel="predicted", ylabel="true")
    """)
    (event,) = events
    assert event["plot"] == "matrix" and event["image"] == [[5.0, 1.0], [2.0, 7.0]]
    assert event["x"] == ["cat", "dog"]
    assert (event["xlabel"], event["ylabel"]) == ("predicted", "true")


def test_boundary_predicts_on_a_grid_over_the_points_and_indexes_classes():
    events, _ = run_with_pipe("""
        import numpy as np
        from homl_tui import report
        X = np.array([[-1.0, 0.0], [1.0, 2.0], [0.5, 1.0]])
        y = np.array(["left", "right", "right"])
        calls = []
        def predict(P):
            calls.append(P.shape)
            return np.where(P[:, 0] > 0, "right", "left")
        report.boundary("b", predict, X, y, resolution=(10, 4), title="sign of x")
        assert calls == [(40, 2)], calls
    """)
    (event,) = events
    assert event["plot"] == "boundary" and event["classes"] == ["left", "right"]
    x0, x1, y0, y1 = event["extent"]
    assert x0 < -1.0 and x1 > 1.0 and y0 < 0.0 and y1 > 2.0
    grid = event["grid"]
    assert len(grid) == 4 and all(len(row) == 10 for row in grid)
    assert all(row[0] == 0 and row[-1] == 1 for row in grid)
    assert event["labels"] == [0, 1, 1] and event["x"] == [-1.0, 1.0, 0.5]


def test_boundary_treats_float_and_int_class_numbers_alike():
    events, _ = run_with_pipe("""
        import numpy as np
        from homl_tui import report
        X = np.array([[-1.0, 0.0], [1.0, 1.0]])
        report.boundary("b", lambda P: (P[:, 0] > 0).astype(int), X, np.array([0.0, 1.0]),
                        resolution=(4, 2))
    """)
    (event,) = events
    assert event["classes"] == ["0", "1"] and event["labels"] == [0, 1]


def test_boundary_rejects_data_that_is_not_two_dimensional():
    events, _ = run_with_pipe("""
        import numpy as np
        from homl_tui import report
        try:
            report.boundary("b", lambda P: P[:, 0] > 0, np.zeros((4, 3)), [0, 1, 0, 1])
        except ValueError as exc:
            assert "(n, 2)" in str(exc)
        else:
            raise AssertionError("no error")
    """)
    assert events == []


def test_plot_overlay_sends_named_curves():
    events, _ = run_with_pipe("""
        import numpy as np
        from homl_tui import report
        report.plot("data", [1, 2], [0, 1], kind="scatter",
                    overlay={"fit": (np.array([0, 1]), np.array([1.0, float("inf")]))})
    """)
    (event,) = events
    assert event["overlay"] == {"fit": {"x": [0.0, 1.0], "y": [1.0, "inf"]}}


def test_child_processes_report_through_the_parent_pipe_but_only_rank_zero():
    events, _ = run_with_pipe("""
        import os, subprocess, sys
        from homl_tui import report
        report.metric(step=0, parent=1.0)
        report.flush()
        code = "import os; from homl_tui import report; report.metric(step=0, **{os.environ['WHO']: 1.0})"
        for who, rank in (("rank0", "0"), ("rank1", "1"), ("plain", None)):
            env = dict(os.environ, WHO=who)
            env.pop("RANK", None)
            if rank is not None:
                env["RANK"] = rank
            subprocess.run([sys.executable, "-c", code], env=env, check=True)
    """)
    names = [name for e in of(events, "metric") for name in e["values"]]
    assert names == ["parent", "rank0", "plain"]
