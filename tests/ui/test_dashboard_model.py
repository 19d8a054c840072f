"""The dashboard's data model: smoothing, groups, runs, log-y, downsampling, diagnosis, status."""

from __future__ import annotations

import math
import random

import pytest

from homl_tui.ui.dashboard.diagnosis import DivergenceWatch
from homl_tui.ui.dashboard.model import DashboardModel, metric_group
from homl_tui.ui.dashboard.smoothing import Ema, smooth
from homl_tui.ui.dashboard.status import LOG_LINES, RunStatus
from homl_tui.ui.render.downsample import Decimator, downsample

# ------------------------------------------------------------------ smoothing


def _values(points: list[tuple[float, float]]) -> list[float]:
    return [value for _, value in points]


def test_ema_divides_by_one_minus_beta_to_the_t() -> None:
    ema = Ema(0.9)
    values = [ema.add(x) for x in (1.0, 2.0, 3.0)]
    # ema_1 = 0.1, ema_2 = 0.29, ema_3 = 0.561 (from ema_0 = 0), then bias-corrected:
    assert values == pytest.approx([0.1 / 0.1, 0.29 / 0.19, 0.561 / 0.271])


def test_the_first_smoothed_point_is_the_first_value_even_with_heavy_smoothing() -> None:
    assert _values(smooth([(0.0, 5.0), (1.0, 5.0)], 0.99)) == pytest.approx([5.0, 5.0])


def test_smoothing_skips_nan_and_inf_without_poisoning_the_average() -> None:
    with_gaps = smooth([(0.0, 1.0), (1.0, math.nan), (2.0, math.inf), (3.0, 3.0)], 0.6)
    assert [step for step, _ in with_gaps] == [0.0, 3.0]
    assert _values(with_gaps) == pytest.approx(_values(smooth([(0, 1.0), (3, 3.0)], 0.6)))
    assert _values(with_gaps)[1] == pytest.approx((0.24 + 1.2) / 0.64)


def test_smoothing_is_extended_with_only_the_new_points() -> None:
    model = DashboardModel()
    model.extend("", [(step, "loss", 1.0 / (step + 1)) for step in range(50)])
    series = model.runs[""].series["loss"]
    first = series.smoothed(0.9)
    model.extend("", [(step, "loss", 0.5) for step in range(50, 80)])
    assert series.smoothed(0.9) is first  # the same list, grown
    assert _values(first) == pytest.approx(_values(smooth(series.points, 0.9)))


def test_chart_curves_are_smoothed_on_the_full_series_then_downsampled() -> None:
    noise = random.Random(1)
    rows = [(s, "loss", 1 + math.exp(-s / 500) + noise.gauss(0, 0.3)) for s in range(5000)]
    model = DashboardModel()
    model.extend("", rows)
    (view,) = model.curves("loss", smoothing=0.95, buckets=50)
    full = smooth([(float(s), v) for s, _, v in rows], 0.95)
    assert view.points == Decimator().view(full, 50)
    assert view.points[-1] == full[-1]
    smoothed_after = smooth(downsample([(float(s), v) for s, _, v in rows], 50), 0.95)
    assert abs(smoothed_after[-1][1] - full[-1][1]) > 1e-3  # the wrong order would differ


def test_smoothed_curves_keep_the_raw_curve_to_draw_behind_them() -> None:
    model = DashboardModel()
    model.extend("", [(0, "loss", 2.0), (1, "loss", 1.0)])
    (raw_view,) = model.curves("loss")
    (smooth_view,) = model.curves("loss", smoothing=0.6)
    assert raw_view.raw is None and raw_view.points == [(0.0, 2.0), (1.0, 1.0)]
    assert smooth_view.raw == [(0.0, 2.0), (1.0, 1.0)]
    assert smooth_view.latest == 1.0  # the raw value, not the smoothed one


# --------------------------------------------------------------------- groups


@pytest.mark.parametrize(
    ("name", "group"),
    [
        ("train_loss", "loss"),
        ("val_loss", "loss"),
        ("loss", "loss"),
        ("valid_loss", "loss"),
        ("test_loss", "loss"),
        ("loss_val", "loss"),
        ("val_acc", "acc"),
        ("train_acc", "acc"),
        ("loss #2", "loss"),
        ("lr", "lr"),
        ("mistakes", "mistakes"),
    ],
)
def test_train_and_validation_curves_of_one_quantity_share_a_group(name: str, group: str) -> None:
    assert metric_group(name) == group


def test_groups_come_in_order_of_first_appearance() -> None:
    model = DashboardModel()
    model.extend("", [(0, "val_acc", 0.5), (0, "lr", 0.1), (0, "train_loss", 2.0)])
    model.extend("", [(1, "val_loss", 1.0), (1, "train_acc", 0.6)])
    assert model.groups == ["acc", "lr", "loss"]


def test_a_metric_whose_step_goes_back_starts_a_new_series() -> None:
    model = DashboardModel()
    model.extend("", [(0, "loss", 3.0), (1, "loss", 2.0), (2, "acc", 0.5)])
    model.extend("", [(0, "loss", 5.0), (1, "loss", 4.0), (0, "loss", 6.0)])
    run = model.runs[""]
    assert list(run.series) == ["loss", "acc", "loss #2", "loss #3"]
    assert run.series["loss #2"].points == [(0.0, 5.0), (1.0, 4.0)]
    assert [v.series.name for v in model.curves("loss")] == ["loss", "loss #2", "loss #3"]


def test_after_a_new_run_begins_a_metric_starts_again_under_its_own_name() -> None:
    model = DashboardModel()
    model.extend("", [(5, "loss", 1.0)])
    model.begin(0.0)
    model.extend("", [(0, "loss", 1.0)])
    assert list(model.runs[""].series) == ["loss"]


# ----------------------------------------------------------------------- runs


def test_the_first_run_is_the_primary_and_ghosts_come_last_in_a_chart() -> None:
    model = DashboardModel()
    model.set_run("ref", "reference", {"loss": [(0, 1.0)]}, ghost=True)
    model.set_run("#12", "lr=0.1", {"loss": [(0, 2.0)]})
    model.set_run("#13", "lr=0.01", {"loss": [(0, 3.0)]})
    assert model.primary is model.runs["#12"]
    assert [v.run.label for v in model.curves("loss")] == ["lr=0.1", "lr=0.01", "reference"]
    assert [v.run.label for v in model.curves("loss", ghosts=False)] == ["lr=0.1", "lr=0.01"]


def test_removing_a_run_drops_the_groups_only_it_had() -> None:
    model = DashboardModel()
    model.set_run("a", "a", {"loss": [(0, 1.0)]})
    model.set_run("b", "b", {"loss": [(0, 1.0)], "lr": [(0, 0.1)]})
    version = model.version
    assert model.remove_run("b")
    assert model.groups == ["loss"] and model.version > version
    assert not model.remove_run("b")


def test_every_change_to_the_curves_bumps_the_version_and_nothing_else_does() -> None:
    model = DashboardModel()
    versions = [model.version]
    model.extend("", [(0, "loss", 1.0)])
    versions.append(model.version)
    model.extend("", [])
    model.curves("loss", smoothing=0.9, buckets=10)
    versions.append(model.version)
    model.begin(0.0)
    versions.append(model.version)
    assert versions[0] < versions[1] == versions[2] < versions[3]


# ---------------------------------------------------------------- log y, downsampling


def test_log_y_refuses_a_group_with_values_at_or_below_zero_and_says_which() -> None:
    model = DashboardModel()
    model.extend("", [(0, "train_loss", 1.0), (0, "val_loss", 0.0), (1, "lr", 0.1)])
    assert model.log_problem("loss") == "log-y off: val_loss has values ≤ 0 (min 0)"
    assert model.log_problem("lr") is None


def test_downsampled_curves_keep_each_buckets_min_and_max_and_the_last_point() -> None:
    rows = [(s, "loss", 1.0) for s in range(10_000)]
    rows[3_000] = (3_000, "loss", 50.0)
    rows[6_000] = (6_000, "loss", -7.0)
    rows[-1] = (9_999, "loss", 0.5)
    model = DashboardModel()
    model.extend("", rows)
    (view,) = model.curves("loss", buckets=40)
    assert len(view.points) <= 2 * 40 + 1
    assert (3000.0, 50.0) in view.points and (6000.0, -7.0) in view.points
    assert view.points[-1] == (9999.0, 0.5)


# ------------------------------------------------------------------ diagnosis


def _watch(values: list[float]) -> DivergenceWatch:
    watch = DivergenceWatch()
    for step, value in enumerate(values):
        watch.add(step, value)
    return watch


def _noisy_converging(seed: int, n: int = 2000, sigma: float = 0.5) -> list[float]:
    """Mini-batch SGD: exponential decay, multiplicative noise, a spike now and then."""
    noise = random.Random(seed)
    values = []
    for t in range(n):
        value = (0.3 + 2 * math.exp(-t / 300)) * math.exp(noise.gauss(0, sigma))
        if noise.random() < 0.02:
            value *= noise.uniform(3, 5)
        values.append(value)
    return values


@pytest.mark.parametrize("seed", range(10))
def test_a_noisy_converging_sgd_loss_is_not_called_diverging(seed: int) -> None:
    assert _watch(_noisy_converging(seed)).found is None


def test_a_validation_loss_that_creeps_up_while_overfitting_is_not_called_diverging() -> None:
    noise = random.Random(3)
    values = [
        0.6 + 1.7 * math.exp(-e / 4) + 0.02 * max(0, e - 15) + noise.gauss(0, 0.03)
        for e in range(50)
    ]
    assert _watch(values).found is None


def test_a_negative_log_loss_going_down_is_not_called_diverging() -> None:
    noise = random.Random(4)
    values = [-6 * (1 - math.exp(-t / 400)) + noise.gauss(0, 0.2) for t in range(2000)]
    assert _watch(values).found is None


def test_a_flat_noisy_loss_is_not_called_diverging() -> None:
    noise = random.Random(5)
    assert _watch([0.693 + noise.gauss(0, 0.05) for _ in range(1000)]).found is None


@pytest.mark.parametrize("seed", range(5))
def test_a_loss_that_blows_up_after_converging_is_diverging_from_about_when_it_rose(
    seed: int,
) -> None:
    noise = random.Random(seed)
    values = []
    for t in range(1500):
        base = 0.4 + 1.9 * math.exp(-t / 150) if t < 800 else 0.41 * 1.01 ** (t - 800)
        values.append(base * math.exp(noise.gauss(0, 0.3)))
    found = _watch(values).found
    assert found is not None
    assert 1000 < found.since < 1200  # 0.41 * 1.01**k passes the start (~2.3) at k ~ 170
    assert found.best < 0.6


def test_a_loss_that_climbs_from_the_first_step_is_diverging() -> None:
    noise = random.Random(0)
    values = [2.3 * 1.02**t * math.exp(noise.gauss(0, 0.3)) for t in range(300)]
    assert _watch(values).found is not None


def test_a_short_per_epoch_loss_that_explodes_is_diverging() -> None:
    values = [1.0, 0.8, 0.7, 0.65, 0.6, 0.9, 1.5, 3, 6, 12, 24, 48, 96, 200, 400]
    values += [800, 1600, 3200, 6400, 12800]
    assert _watch(values).found is not None


def test_a_diverging_loss_gets_a_plain_words_note_that_asks_rather_than_answers() -> None:
    model = DashboardModel()
    model.extend("", [(t, "train_loss", 2.3 * 1.05**t) for t in range(60)])
    (note,) = model.diagnoses()
    assert note.startswith("train_loss is climbing since step ")
    assert note.endswith("a learning rate too high, or exploding gradients?")


def test_only_loss_like_series_are_watched_for_divergence() -> None:
    model = DashboardModel()
    model.extend("", [(t, "val_acc", 0.1 * 1.05**t) for t in range(60)])
    assert model.diagnoses() == []


def test_a_loss_that_becomes_nan_gets_a_hint_with_the_step() -> None:
    model = DashboardModel()
    model.extend("", [(411, "train_loss", 0.5), (412, "train_loss", math.nan)])
    model.extend("", [(413, "train_loss", math.nan)])
    assert model.diagnoses() == [
        "train_loss became NaN at step 412: a learning rate too high, a log of 0 or a "
        "division by zero?"
    ]


def test_an_infinite_value_is_named_as_such() -> None:
    model = DashboardModel()
    model.extend("", [(7, "val_mse", math.inf), (3, "acc", -math.inf)])
    notes = model.diagnoses()
    assert notes[0].startswith("val_mse became inf at step 7: a learning rate too high")
    assert notes[1] == "acc became -inf at step 3: NaN and infinite values are not drawn."


def test_notes_name_the_run_when_several_are_shown_and_ignore_the_reference() -> None:
    model = DashboardModel()
    model.set_run("a", "lr=1", {"loss": [(0, 1.0), (1, math.nan)]})
    model.set_run("b", "lr=0.1", {"loss": [(0, 1.0)]})
    model.set_run("ref", "reference", {"loss": [(0, math.nan)]}, ghost=True)
    assert [n.split(":")[0] for n in model.diagnoses()] == ["lr=1"]


# --------------------------------------------------------------------- status


def test_progress_rate_and_eta_come_from_updates_over_time() -> None:
    status = RunStatus(state="running", started_at=0.0)
    status.update_progress(0, 100, now=10.0, unit="samples")
    assert status.rate is None and status.eta_s(10.0) is None
    status.update_progress(10, 100, now=12.0, unit="samples")
    assert status.rate == pytest.approx(5.0)
    assert status.eta_s(12.0) == pytest.approx(18.0)
    assert status.eta_s(15.0) == pytest.approx(15.0)  # counts down between updates


def test_the_rate_follows_the_recent_pace_not_the_whole_run() -> None:
    status = RunStatus()
    for second in range(30):  # 1 unit/s for 30 s, then 10 units/s
        status.update_progress(second, 1000, now=float(second))
    for second in range(30, 60):
        status.update_progress(29 + 10 * (second - 29), 1000, now=float(second))
    assert status.rate == pytest.approx(10.0)


def test_progress_that_starts_again_from_zero_resets_the_rate() -> None:
    status = RunStatus()
    status.update_progress(90, 100, now=0.0)
    status.update_progress(100, 100, now=1.0)
    status.update_progress(0, 50, now=2.0)
    assert status.rate is None
    status.update_progress(5, 50, now=3.0)
    assert status.rate == pytest.approx(5.0)


def test_state_text_says_running_finished_cancelled_or_lost() -> None:
    status = RunStatus(state="running", started_at=100.0)
    assert status.state_text(112.4) == "running 12s"
    status.finish("ok", 3.21)
    assert status.state_text(200.0) == "finished ok 3.2s"
    status.finish("cancelled", 1.0)
    assert status.state_text(200.0) == "cancelled 1.0s"
    lost = RunStatus(state="lost", started_at=0.0)
    assert lost.state_text(50.0) == "lost" and not lost.running


def test_output_keeps_the_last_lines_and_joins_lines_that_arrive_in_pieces() -> None:
    status = RunStatus()
    status.add_output("stdout", "".join(f"line {i}\n" for i in range(LOG_LINES + 50)))
    status.add_output("stdout", "epoch 3: lo")
    status.add_output("stdout", "ss 0.25\nnext")
    assert len(status.logs) == LOG_LINES
    assert status.last_lines(3) == [
        ("stdout", f"line {LOG_LINES + 49}"), ("stdout", "epoch 3: loss 0.25"), ("stdout", "next")
    ]


def test_a_samples_per_second_metric_goes_to_the_header() -> None:
    model = DashboardModel()
    model.extend("", [(0, "samples_per_s", 812.0)])
    assert model.status.samples_per_s == 812.0
