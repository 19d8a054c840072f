"""The check API (homl_tui.checks): right values pass; wrong ones fail with a message that
says what is wrong and never shows the expected answer."""

from __future__ import annotations

import types

import numpy as np
import pytest
import torch

from homl_tui.checks import (
    CheckFailed,
    NotAttempted,
    as_array,
    compare_with_reference,
    describe,
    expect_at_least,
    expect_at_most,
    expect_close,
    expect_decreasing,
    expect_dtype,
    expect_equal,
    expect_finite,
    expect_shape,
    expect_true,
    expect_type,
    fail,
    require_class,
    require_function,
)


def failure(fn, *args, **kwargs) -> str:
    """Call a helper that must fail; return its message."""
    with pytest.raises(CheckFailed) as info:
        fn(*args, **kwargs)
    assert str(info.value) == info.value.message
    return info.value.message


# ------------------------------------------------------------------ fail, errors


def test_fail_raises_check_failed_with_the_message():
    assert failure(fail, "the loss is NaN") == "the loss is NaN"


def test_check_failed_is_an_assertion_error_and_not_attempted_is_not():
    assert issubclass(CheckFailed, AssertionError)
    assert not issubclass(NotAttempted, AssertionError)
    assert NotAttempted("start here").message == "start here"


def test_expect_true_passes_on_truthy_and_fails_with_the_given_message():
    expect_true(np.bool_(True), "unused")
    assert failure(expect_true, 0, "scale the inputs first") == "scale the inputs first"


# ------------------------------------------------------------------------ types


def test_expect_type_passes_on_instances_including_tuples_of_types():
    expect_type("n", 3, int)
    expect_type("x", 3.5, (int, float))


def test_expect_type_names_actual_and_wanted_type():
    message = failure(expect_type, "model", [1, 2], dict)
    assert "`model`" in message and "list" in message and "dict" in message


def test_expect_type_uses_the_friendly_name_when_given():
    message = failure(expect_type, "model", 3, dict, "fitted estimator")
    assert "fitted estimator" in message and "int" in message


# ------------------------------------------------------------------------ shape


def test_expect_shape_passes_on_the_right_shape():
    expect_shape("x", np.zeros((3, 4)), (3, 4))
    expect_shape("x", [[1, 2], [3, 4]], (2, 2))


def test_expect_shape_names_the_wrong_axis_without_the_expected_size():
    message = failure(expect_shape, "logits", np.zeros((32, 7)), (32, 10))
    assert "axis 1" in message
    assert "(32, 7)" in message
    assert "10" not in message


def test_expect_shape_names_every_wrong_axis():
    message = failure(expect_shape, "x", np.zeros((2, 3, 4)), (5, 3, 6))
    assert "axis 0, 2" in message


def test_expect_shape_reports_wrong_number_of_dimensions():
    message = failure(expect_shape, "y", np.zeros(5), (5, 1))
    assert "1 dimension(s)" in message and "should have 2" in message


def test_expect_shape_accepts_torch_tensors_and_size_objects():
    expect_shape("t", torch.zeros(2, 3), torch.Size([2, 3]))
    assert "axis 0" in failure(expect_shape, "t", torch.zeros(4, 3), (2, 3))


def test_expect_shape_on_a_zero_dimensional_value_reports_dimensions():
    message = failure(expect_shape, "loss", np.float64(1.0), (1,))
    assert "0 dimension(s)" in message


# ------------------------------------------------------------------------ dtype


@pytest.mark.parametrize("value, kind", [
    (np.zeros(2, dtype=np.float32), "float"),
    (np.zeros(2, dtype=np.int64), "int"),
    (np.zeros(2, dtype=bool), "bool"),
    (torch.zeros(2), "float"),
    (torch.zeros(2, dtype=torch.long), "int"),
    (torch.zeros(2, dtype=torch.bfloat16), "float"),
    (np.zeros(2, dtype=np.float32), "float32"),
])
def test_expect_dtype_accepts_matching_families_and_exact_names(value, kind):
    expect_dtype("x", value, kind)


def test_expect_dtype_names_the_actual_dtype():
    message = failure(expect_dtype, "labels", np.zeros(3, dtype=np.float64), "int")
    assert "float64" in message and "int" in message


def test_expect_dtype_strips_the_torch_prefix():
    message = failure(expect_dtype, "x", torch.zeros(2, dtype=torch.int32), "float")
    assert "int32" in message and "torch." not in message


# --------------------------------------------------------------------- finite


def test_expect_finite_passes_on_finite_values_and_non_float_arrays():
    expect_finite("x", np.arange(5.0))
    expect_finite("labels", np.arange(5))


def test_expect_finite_counts_nan_values_and_gives_the_first_index():
    value = np.array([[0.0, 1.0], [np.nan, 2.0], [np.nan, np.nan]])
    message = failure(expect_finite, "probs", value)
    assert "3 NaN value(s)" in message
    assert "first at index (1, 0)" in message


def test_expect_finite_reports_infinity():
    message = failure(expect_finite, "z", np.array([1.0, np.inf]))
    assert "1 infinite value(s)" in message


def test_expect_finite_on_a_nan_scalar_and_on_a_torch_tensor():
    assert "NaN" in failure(expect_finite, "loss", float("nan"))
    assert "2 NaN" in failure(expect_finite, "t", torch.tensor([float("nan"), 1.0, float("nan")]))


# ---------------------------------------------------------------------- equal


def test_expect_equal_passes_on_equal_values_and_arrays():
    expect_equal("n", 3, 3)
    expect_equal("labels", np.array([1, 2]), np.array([1, 2]))
    expect_equal("pair", (1, "a"), (1, "a"))


def test_expect_equal_shows_the_actual_value_but_not_the_expected_one():
    message = failure(expect_equal, "n_components", 41, 97)
    assert "41" in message
    assert repr(97) not in message


def test_expect_equal_fails_on_arrays_of_different_shape_that_broadcast():
    failure(expect_equal, "labels", np.array([1, 1]), np.array([1]))


def test_expect_equal_appends_the_hint():
    assert failure(expect_equal, "k", 1, 2, "count the classes").endswith("count the classes")


# ---------------------------------------------------------------------- close


def test_expect_close_passes_within_tolerance():
    expect_close("x", np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-9]))
    expect_close("x", 0.5, np.float32(0.5))
    expect_close("x", [1.0, 2.0], np.array([1.0, 2.0]))


def test_expect_close_says_how_far_off_and_where_but_not_the_expected_value():
    expected = np.array([1.0, 2.0, 3.2517])
    message = failure(expect_close, "y", np.array([1.0, 2.0, 3.7517]), expected)
    assert "off by 0.5" in message
    assert "at index (2,)" in message
    for value in expected:
        assert repr(float(value)) not in message
    assert "3.25" not in message


def test_expect_close_counts_how_many_entries_are_off():
    message = failure(expect_close, "y", np.zeros(10), np.r_[np.ones(4), np.zeros(6)])
    assert "4 of 10 entries are off" in message


def test_expect_close_on_scalars_says_how_far_off_without_the_answer():
    expected = 0.734219
    message = failure(expect_close, "accuracy", 0.5, expected)
    assert "off by 0.234" in message
    assert repr(expected) not in message and "0.734" not in message


def test_expect_close_reports_shape_before_values():
    message = failure(expect_close, "y", np.zeros((3, 2)), np.zeros((3, 5)))
    assert "axis 1" in message
    assert "5" not in message


def test_expect_close_reports_nan_count_before_values():
    message = failure(expect_close, "y", np.array([np.nan, 1.0, np.nan]), np.ones(3))
    assert "2 NaN value(s)" in message


def test_expect_close_rejects_a_list_where_a_number_is_expected():
    assert "single number" in failure(expect_close, "loss", [0.5], 0.5)


def test_expect_close_rejects_non_numeric_values():
    message = failure(expect_close, "y", "abc", 1.0)
    assert "str" in message and "not a number" in message


def test_expect_close_on_a_missing_return_value_names_none():
    for expected in (np.ones(3), 0.5):
        message = failure(expect_close, "softmax(x)", None, expected)
        assert "is None" in message and "return" in message


def test_expect_close_without_shape_check_broadcasts():
    expect_close("y", np.ones((3, 1)), np.ones(3), check_shape=False)


def test_expect_close_accepts_torch_tensors_including_grad_and_bfloat16():
    expect_close("t", torch.tensor([1.0, 2.0], requires_grad=True) * 1, np.array([1.0, 2.0]))
    expect_close("t", torch.tensor([1.0, 2.0], dtype=torch.bfloat16), [1.0, 2.0], rtol=1e-2)
    expect_close("t", np.array([1.0, 2.0]), torch.tensor([1.0, 2.0]))
    assert "off by" in failure(expect_close, "t", torch.tensor([1.0, 3.0]), torch.tensor([1.0, 2.0]))


def test_as_array_converts_tensors_lists_and_scalars():
    assert as_array(torch.tensor([[1, 2]])).shape == (1, 2)
    assert isinstance(as_array(torch.ones(2, requires_grad=True)), np.ndarray)
    assert as_array([1, 2, 3]).tolist() == [1, 2, 3]
    assert as_array(2.5).ndim == 0


# -------------------------------------------------------- thresholds and curves


def test_expect_at_least_passes_at_and_above_the_threshold():
    expect_at_least("accuracy", 0.9, 0.9)
    expect_at_least("accuracy", np.float32(0.95), 0.9)


def test_expect_at_least_says_the_value_and_the_bar():
    message = failure(expect_at_least, "val accuracy", 0.61, 0.85, "Scale the features.")
    assert "0.61" in message and "at least 0.85" in message and "Scale the features." in message


def test_expect_at_most_fails_above_the_threshold():
    expect_at_most("rmse", torch.tensor(0.4), 0.5)
    assert "at most 0.5" in failure(expect_at_most, "rmse", 0.7, 0.5)


def test_threshold_messages_take_a_number_format():
    message = failure(expect_at_most, "test RMSE", 80693.4, 66000, fmt=",.0f")
    assert "80,693" in message and "at most 66,000" in message and "e+04" not in message
    assert "at least 95.0%" in failure(expect_at_least, "accuracy", 0.9, 0.95, fmt=".1%")


@pytest.mark.parametrize("helper", [expect_at_least, expect_at_most])
def test_thresholds_call_out_nan_as_divergence(helper):
    message = failure(helper, "loss", float("nan"), 1.0)
    assert "NaN" in message and "learning rate" in message


def test_expect_decreasing_passes_on_a_falling_curve():
    expect_decreasing("losses", [1.0 / (i + 1) for i in range(20)])


def test_expect_decreasing_fails_on_an_empty_curve():
    assert "empty" in failure(expect_decreasing, "losses", [])


def test_expect_decreasing_names_the_step_where_the_loss_became_nan():
    message = failure(expect_decreasing, "losses", [3.0, 2.0, 1.5, float("nan"), float("nan")])
    assert "step 3" in message and "learning rate" in message


def test_expect_decreasing_detects_divergence():
    message = failure(expect_decreasing, "losses", [1.0, 2.0, 10.0, 100.0, 1e3, 1e4])
    assert "diverged" in message


def test_expect_decreasing_detects_a_flat_curve():
    message = failure(expect_decreasing, "losses", [0.7] * 20)
    assert "did not go down" in message and "zeroed" in message


# ---------------------------------------------------------------- functions


def module_with(**attrs) -> types.ModuleType:
    module = types.ModuleType("learner")
    module.__dict__.update(attrs)
    return module


def test_require_function_returns_the_function():
    def softmax(x):
        return x

    assert require_function(module_with(softmax=softmax), "softmax") is softmax


def test_require_function_fails_when_missing():
    message = failure(require_function, module_with(), "softmax")
    assert "`softmax`" in message and "not found" in message


def test_require_function_fails_when_not_callable():
    message = failure(require_function, module_with(softmax=3), "softmax")
    assert "should be a function" in message and "int" in message


def test_describe_gives_shape_and_dtype_not_values():
    assert describe(np.zeros((2, 3), dtype=np.float32)) == "float32 array of shape (2, 3)"
    assert describe(torch.zeros(4, dtype=torch.int64)) == "int64 tensor of shape (4,)"
    assert describe(3) == "3"
    assert describe(list(range(100))) == "list of length 100"


def reference_add(a, b):
    return a + b


def add_cases(n: int = 3):
    rng = np.random.default_rng(0)
    return [(rng.normal(size=(2, k)), rng.normal(size=(2, k))) for k in range(1, n + 1)]


def test_compare_with_reference_passes_a_correct_function():
    compare_with_reference("add", lambda a, b: b + a, reference_add, add_cases())


def test_compare_with_reference_accepts_tensors_from_the_learner():
    compare_with_reference("add", lambda a, b: torch.from_numpy(a) + torch.from_numpy(b),
                           reference_add, add_cases())


def test_compare_with_reference_names_the_failing_case_and_its_inputs():
    def wrong_on_wide(a, b):
        return a + b if a.shape[1] < 3 else a - b

    cases = add_cases()
    message = failure(compare_with_reference, "add", wrong_on_wide, reference_add, cases)
    assert message.startswith("On test input #3 (float64 array of shape (2, 3), "
                              "float64 array of shape (2, 3)):")
    assert "`add(...)` is off by" in message
    for value in reference_add(*cases[2]).ravel():
        assert repr(float(value)) not in message


def test_compare_with_reference_says_when_the_learner_returned_nothing():
    def forgot_return(a, b):
        a + b

    message = failure(compare_with_reference, "add", forgot_return, reference_add, add_cases())
    assert message.startswith("On test input #1")
    assert "`add(...)` is None" in message


def test_compare_with_reference_reports_shape_of_wrong_result():
    message = failure(compare_with_reference, "add", lambda a, b: (a + b)[0], reference_add,
                      add_cases())
    assert "On test input #1" in message and "dimension" in message


def test_learner_mutating_its_input_does_not_change_the_cases_or_the_reference():
    cases = add_cases()
    originals = [tuple(a.copy() for a in case) for case in cases]
    seen_by_reference = []

    def reference(a, b):
        seen_by_reference.append((a.copy(), b.copy()))
        return a + b

    def learner_that_mutates(a, b):
        out = a + b
        a[...] = 1e9
        b += 1e9
        return out

    compare_with_reference("add", learner_that_mutates, reference, cases)
    assert len(seen_by_reference) == len(cases)
    for case, original, seen in zip(cases, originals, seen_by_reference, strict=True):
        np.testing.assert_array_equal(case[0], original[0])
        np.testing.assert_array_equal(case[1], original[1])
        np.testing.assert_array_equal(seen[0], original[0])


def test_reference_is_called_on_copies_too():
    cases = add_cases(1)
    original = cases[0][0].copy()

    def reference_that_mutates(a, b):
        a += b
        return a

    compare_with_reference("add", lambda a, b: a + b, reference_that_mutates, cases)
    np.testing.assert_array_equal(cases[0][0], original)


def test_compare_with_reference_hides_the_reference_prints(capsys):
    def chatty_reference(a, b):
        print("the answer is", a + b)
        return a + b

    compare_with_reference("add", reference_add, chatty_reference, add_cases(1))
    assert "the answer" not in capsys.readouterr().out


def test_compare_with_reference_uses_a_custom_compare():
    def same_sign(label, actual, expected):
        expect_true(np.all(np.sign(actual) == np.sign(expected)), f"{label} has the wrong sign")

    compare_with_reference("neg", lambda x: -2 * x, lambda x: -x, [(np.ones(3),)],
                           compare=same_sign)
    message = failure(compare_with_reference, "neg", lambda x: x, lambda x: -x, [(np.ones(3),)],
                      compare=same_sign)
    assert message == "On test input #1 (float64 array of shape (3,)): neg(...) has the wrong sign"


def test_learner_exceptions_propagate_unchanged_for_the_runner_to_classify():
    def broken(a, b):
        raise ZeroDivisionError("oops")

    with pytest.raises(ZeroDivisionError):
        compare_with_reference("add", broken, reference_add, add_cases(1))


def test_reference_functions_run_quietly(tmp_path, capsys):
    from homl_tui import report
    from homl_tui.checks.context import CheckContext

    (tmp_path / "solution.py").write_text(
        "from homl_tui import report\n"
        "SCALE = 3\n"
        "class Box:\n    pass\n"
        "def train(n):\n"
        "    print('training...')\n"
        "    for i in range(n):\n        report.metric(step=i, loss=1.0)\n"
        "    return n * SCALE\n")
    ctx = CheckContext(exercise_dir=tmp_path, data_dir=tmp_path)
    with report.capture() as events:
        assert ctx.reference.train(4) == 12
    assert events == [] and "training" not in capsys.readouterr().out
    assert ctx.reference.SCALE == 3 and isinstance(ctx.reference.Box(), ctx.reference.Box)
    assert ctx.reference.train.__name__ == "train"


def test_require_class_names_what_is_missing_or_wrong():
    import types

    module = types.SimpleNamespace(Good=type("Good", (dict,), {}), func=len)
    assert require_class(module, "Good", dict) is module.Good
    assert "Define a class named `Missing`" in failure(require_class, module, "Missing")
    assert "should be a class" in failure(require_class, module, "func")
    assert "should subclass `builtins.list`" in failure(require_class, module, "Good", list)
