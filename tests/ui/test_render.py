"""Pure rendering helpers: downsampling, charts, CartPole, event coalescing, lesson text."""

from __future__ import annotations

import math

from homl_tui.course import load_course
from homl_tui.runtime.batch import coalesce
from homl_tui.ui.lesson_text import lesson_markdown
from homl_tui.ui.render.cartpole import cart_column, draw_cartpole
from homl_tui.ui.render.charts import line_chart, shade_image
from homl_tui.ui.render.downsample import Decimator, downsample

from .conftest import LESSONS


def test_downsample_keeps_short_series_unchanged() -> None:
    points = [(float(i), float(i)) for i in range(10)]
    assert downsample(points, 20) == points


def test_downsample_keeps_spikes_and_the_last_point() -> None:
    points = [(float(i), 0.0) for i in range(10_000)]
    points[5_000] = (5000.0, 99.0)
    points[7_000] = (7000.0, -5.0)
    out = downsample(points, 50)
    assert len(out) <= 2 * 50 + 1
    assert (5000.0, 99.0) in out and (7000.0, -5.0) in out
    assert out[-1] == points[-1]


def test_line_chart_draws_axes_for_each_series() -> None:
    chart = line_chart(
        {"loss": [(i, 1 / (i + 1)) for i in range(100)], "acc": [(i, i / 100) for i in range(100)]},
        60,
        12,
    )
    assert "┌" in chart and "┘" in chart


def test_line_chart_explains_when_nothing_is_finite() -> None:
    assert "no finite values" in line_chart({"loss": [(0, math.nan)]}, 60, 12)


def test_shade_image_uses_darker_blocks_for_larger_values() -> None:
    rows = shade_image([[0, 1], [2, 3]], 20, 5)
    assert rows == ["  ░░", "▓▓██"]


def test_cart_position_maps_the_track_to_the_panel_width() -> None:
    assert cart_column(-2.4, 41) == 0
    assert cart_column(0.0, 41) == 20
    assert cart_column(2.4, 41) == 40
    assert cart_column(9.0, 41) == 40


def test_pole_leans_the_way_theta_says() -> None:
    upright = draw_cartpole([0.0, 0.0, 0.0, 0.0], 41, 10)
    leaning = draw_cartpole([0.0, 0.0, 0.5, 0.0], 41, 10)
    assert len(upright) == 10 and all(len(line) == 41 for line in upright)
    assert upright[0].index("│") == 20
    assert "╱" in "".join(leaning)
    top = next(line for line in leaning if "╱" in line)
    assert top.index("╱") > 20


def test_coalesce_joins_output_keeps_latest_frame_and_all_metrics() -> None:
    batch = coalesce(
        [
            {"kind": "stdout", "text": "a"},
            {"kind": "stdout", "text": "b\n"},
            {"kind": "metric", "step": 0, "values": {"loss": 1.0}},
            {"kind": "frame", "state": [0, 0, 0, 0], "step": 1},
            {"kind": "metric", "step": 1, "values": {"loss": 0.5, "acc": 0.7}},
            {"kind": "frame", "state": [1, 0, 0, 0], "step": 2},
            {"kind": "note", "device": "cuda", "device_name": "H100"},
        ]
    )
    assert batch.output == [("stdout", "ab\n")]
    assert batch.metrics == [(0, "loss", 1.0), (1, "loss", 0.5), (1, "acc", 0.7)]
    assert batch.frame is not None and batch.frame["step"] == 2
    assert batch.device == ("cuda", "H100")


def test_exercise_markers_become_callouts() -> None:
    lesson = load_course(LESSONS).lesson("demo")
    assert lesson is not None
    text = lesson_markdown(lesson, {"add": "✔"})
    assert ":::" not in text
    assert "Exercise 1: Add two arrays" in text and "✔" in text


def test_matrix_text_prints_every_value_with_names_and_shades_by_size() -> None:
    from homl_tui.ui.render.grids import RAMP, matrix_text

    text = matrix_text([[50, 2], [0, 47]], ["cat", "dog"], 40, 6, "predicted", "true")
    plain = text.plain
    for token in ("50", "2", "0", "47", "cat", "dog", "predicted", "true"):
        assert token in plain
    styles = {plain[s.start:s.end].strip(): str(s.style) for s in text.spans}
    assert f"on color({RAMP[-1]})" in styles["50"]
    assert f"on color({RAMP[0]})" in styles["0"]


def test_matrix_text_says_what_does_not_fit() -> None:
    from homl_tui.ui.render.grids import matrix_text

    big = [[i * 10 + j for j in range(10)] for i in range(10)]
    plain = matrix_text(big, None, 30, 8).plain
    assert "rows" in plain and "columns" in plain and "not shown" in plain
    assert max(len(line) for line in plain.splitlines()) <= 32


def test_boundary_text_draws_regions_and_points_where_they_are() -> None:
    from homl_tui.ui.render.grids import REGION_GLYPHS, boundary_text

    event = {
        "grid": [[0, 0, 1, 1]] * 2, "extent": [0.0, 4.0, 0.0, 2.0],
        "x": [0.1, 3.9], "y": [1.9, 0.1], "labels": [0, 1],
    }
    lines = boundary_text(event, 8, 4).plain.splitlines()
    assert len(lines) == 4 and all(len(line) == 8 for line in lines)
    assert lines[0][0] == "●" and lines[3][7] == "●"  # top-left and bottom-right points
    assert lines[1][1] == REGION_GLYPHS[0] and lines[1][6] == REGION_GLYPHS[1]


def test_boundary_text_survives_garbage() -> None:
    from homl_tui.ui.render.grids import boundary_text

    for event in ({}, {"grid": "x", "extent": [0, 1, 0, 1]}, {"grid": [[0]], "extent": [1, 0, 0, 1]},
                  {"grid": [[None, "a"]], "extent": [0, 1, 0, 1], "x": ["q"], "y": [1], "labels": [0]}):
        assert boundary_text(event, 10, 5).plain


def test_overlay_curves_are_drawn_over_a_scatter_and_named_in_the_header() -> None:
    from homl_tui.ui.widgets.plot_panel import render_plot

    event = {"kind": "plot", "plot": "scatter", "name": "data",
             "x": [0.0, 1.0, 2.0, 3.0], "y": [0.1, 0.9, 2.2, 2.8],
             "overlay": {"fit": {"x": [0.0, 3.0], "y": [0.0, 3.0]}, "bad": "ignored"}}
    text = render_plot(event, 60, 14).plain
    assert "─ fit" in text and "bad" not in text.splitlines()[0]
    without = dict(event, overlay={})
    assert render_plot(without, 60, 14).plain != text  # the line adds drawn cells


def test_a_line_plot_with_an_overlay_names_both_curves() -> None:
    from homl_tui.ui.widgets.plot_panel import render_plot

    event = {"kind": "plot", "plot": "line", "name": "train", "x": [1, 2, 3], "y": [3, 2, 1],
             "overlay": {"validation": {"x": [1, 2, 3], "y": [3.5, 2.8, 2.6]}}}
    header = render_plot(event, 60, 14).plain.splitlines()[0]
    assert "train" in header and "validation" in header


def test_matrices_and_images_get_the_height_they_need_and_charts_share_the_rest() -> None:
    from homl_tui.ui.widgets.plot_panel import MIN_PLOT_HEIGHT, natural_height, share_height

    matrix = {"plot": "matrix", "image": [[0] * 10] * 10, "xlabel": "predicted"}
    digit = {"plot": "image", "image": [[0] * 8] * 8}
    assert natural_height(matrix) == 14 and natural_height(digit) == 9
    assert natural_height({"plot": "line", "y": [1]}) is None
    assert share_height([14, 9, None], 40) == [14, 9, 17]
    assert share_height([14, None, None], 30) == [14, 8, 8]
    # Not enough room for everything: shares in proportion, never below the minimum.
    assert share_height([14, 14, 9], 33) == [12, 12, 9]
    assert sum(share_height([14, 14, 9], 33)) == 33
    assert share_height([14, 9, None], 12) == [MIN_PLOT_HEIGHT] * 3
    assert share_height([], 10) == []


def _wave(n: int) -> list[tuple[float, float]]:
    return [(float(i), math.sin(i / 37) * (1 + i / 1000) + (5.0 if i == 777 else 0.0))
            for i in range(n)]


def test_decimator_keeps_the_extremes_and_the_last_point_in_few_points() -> None:
    points = _wave(20_000)
    view = Decimator().view(points, 60)
    assert len(view) <= 2 * 60 + 1
    assert max(view, key=lambda p: p[1]) == max(points, key=lambda p: p[1])  # the spike
    assert min(view, key=lambda p: p[1]) == min(points, key=lambda p: p[1])
    assert view[-1] == points[-1]
    assert [p[0] for p in view] == sorted(p[0] for p in view)


def test_decimator_grown_step_by_step_matches_one_built_at_once() -> None:
    points = _wave(9_000)
    growing, grown = Decimator(), []
    for end in [*range(100, 9_000, 250), 9_000]:
        grown = growing.view(points[:end], 50)
    assert grown == Decimator().view(points, 50)


def test_decimator_leaves_short_series_alone() -> None:
    points = _wave(80)
    assert Decimator().view(points, 50) == points
