"""Tampering: learner code that tries to get a PASS it has not earned gets none.

Each fault test runs the learner's file under its check in a real child process (headless
``homl-tui check`` where the fixture lesson fits, the runner with an exercise of its own where
the check must use a particular helper). The wrong answer underneath is always ``a - b`` (or
``3 * x``): without the protection in place, each of these would pass.

The tests at the end hold every public check helper against values that lie about themselves
(``__eq__`` that always says yes, a ``float`` subclass that claims another value, an array
subclass with a made-up shape, a class that pretends to be another).
"""

from __future__ import annotations

import shutil
import types

import numpy as np
import pytest
import torch
from conftest import DEMO_LESSON, run_check, subprocess_env, write_exercise
from test_checks import failure as fails
from test_cli import cli

from homl_tui.checks import (
    as_array,
    as_number,
    compare_with_reference,
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
    require_class,
)
from homl_tui.outcome import Outcome


@pytest.fixture
def lessons(tmp_path):
    root = tmp_path / "lessons"
    shutil.copytree(DEMO_LESSON, root / "01_demo")
    return root


def check_headless(tmp_path, lessons, source: str) -> tuple[str, str]:
    """Write ``source`` as the learner's ``demo/add``, check it; return (outcome, message)."""
    learner = tmp_path / "data" / "workspace" / "demo" / "add.py"
    learner.parent.mkdir(parents=True, exist_ok=True)
    learner.write_text(source, encoding="utf-8")
    proc = cli("check", "demo/add", lessons=lessons, data_dir=tmp_path / "data",
               env=subprocess_env(TMPDIR=str(tmp_path)))  # where changed lesson files are kept
    status, _, rest = proc.stdout.splitlines()[0].partition(" ")
    message = rest.split(")", 1)[1].strip()
    return status, message


WRONG_ADD = "\n\ndef add(a, b):\n    return a - b\n"


# ------------------------------------------------------------------ the fault tests


@pytest.mark.fault("Tampering", "monkeypatching the check helpers")
def test_replacing_a_check_helper_turns_the_pass_into_an_error(tmp_path, lessons, seen):
    outcome, message = check_headless(tmp_path, lessons, """
import homl_tui.checks.functions
import homl_tui.checks.values

homl_tui.checks.values.expect_close = lambda *args, **kwargs: None
homl_tui.checks.functions.expect_close = lambda *args, **kwargs: None
""" + WRONG_ADD)
    assert outcome == "ERROR"
    assert message.startswith("Your code changed `homl_tui.checks.functions.expect_close`, "
                              "`homl_tui.checks.values.expect_close`, which the check relies on, "
                              "so the check cannot trust its result.")
    seen(f"{outcome}: {message}")


CHECK_WITH_LIBRARIES = """
    import math

    import numpy as np

    from homl_tui.checks import expect_true, require_function


    def check(learner, ctx):
        mean = require_function(learner, "mean")
        x = ctx.rng().normal(size=50)
        got = float(mean(x))
        expect_true(math.isclose(got, float(np.mean(x)), rel_tol=1e-9), "wrong (isclose)")
        expect_true(np.allclose(got, np.mean(x)), "wrong (allclose)")
        np.testing.assert_allclose(got, np.mean(x))
"""
MEAN_SOLUTION = """
    def mean(x):
        return sum(x) / len(x)
"""
MEAN_STARTER = """
    def mean(x):
        raise NotImplementedError
"""


@pytest.mark.fault("Tampering", "replacing NumPy's or Python's functions")
def test_replacing_math_isclose_and_numpy_allclose_is_no_pass(tmp_path, seen):
    exercise = write_exercise(tmp_path / "exercise", check=CHECK_WITH_LIBRARIES,
                              solution=MEAN_SOLUTION, starter=MEAN_STARTER)
    checked = run_check(tmp_path, """
        import math

        import numpy as np

        math.isclose = lambda *args, **kwargs: True
        np.allclose = lambda *args, **kwargs: True
        np.testing.assert_allclose = lambda *args, **kwargs: None


        def mean(x):
            return 0.0
    """, exercise_dir=exercise)
    result = checked.result
    assert result.outcome is Outcome.ERROR
    for name in ("math.isclose", "numpy.allclose", "numpy.testing.assert_allclose"):
        assert f"`{name}`" in result.message
    assert "the check cannot trust its result" in result.message
    seen(f"{result.outcome.value}: {result.message}")


@pytest.mark.fault("Tampering", "editing the reference solution on disk")
def test_rewriting_solution_py_is_no_pass_and_the_file_is_put_back(tmp_path, lessons, seen):
    exercise = lessons / "01_demo" / "exercises" / "add"
    originals = {name: (exercise / name).read_bytes() for name in ("solution.py", "check.py")}
    outcome, message = check_headless(tmp_path, lessons, f"""
from pathlib import Path

folder = Path({str(exercise)!r})
(folder / "solution.py").write_text("def add(a, b):\\n    return a - b\\n")
(folder / "check.py").write_text("def check(learner, ctx):\\n    pass\\n")
""" + WRONG_ADD)
    assert outcome == "ERROR"
    assert message.startswith("Your code changed this lesson's own files "
                              "(exercises/add/check.py, exercises/add/solution.py) while it ran, "
                              "so its result cannot be trusted. homl-tui put them back")
    assert f"the changed copies are in {tmp_path / 'homl-tui-changed'}" in message
    for name, data in originals.items():
        assert (exercise / name).read_bytes() == data
    kept = sorted(p.name.split("-", 2)[2] for p in (tmp_path / "homl-tui-changed").iterdir())
    assert kept == ["check.py", "solution.py"]
    outcome_again, message_again = check_headless(tmp_path, lessons, WRONG_ADD)
    assert outcome_again == "FAIL" and "is off by" in message_again
    seen(f"{outcome}: {message}".replace(str(tmp_path), "$TMPDIR"))


def test_the_check_compares_with_the_solution_as_it_was_before_the_learners_code_ran(tmp_path):
    exercise = write_exercise(tmp_path / "exercise")
    solution = exercise / "solution.py"
    checked = run_check(tmp_path, f"""
        from pathlib import Path

        SOLUTION = Path({str(solution)!r})
        ORIGINAL = SOLUTION.read_text()
        SOLUTION.write_text("def double(x):\\n    return 3 * x\\n")


        def double(x):
            SOLUTION.write_text(ORIGINAL)  # put back before the run ends: the guard sees nothing
            return 3 * x
    """, exercise_dir=exercise)
    assert checked.result.outcome is Outcome.FAIL
    assert "is off by" in checked.result.message


CHECK_WITH_EQUAL_AND_THRESHOLD = """
    from homl_tui.checks import expect_at_least, expect_equal, require_function


    def check(learner, ctx):
        count = require_function(learner, "count_positive")
        expect_equal("count_positive([1, -2, 3])", count([1, -2, 3]), 2)
        score = require_function(learner, "score")
        expect_at_least("score()", score(), 0.9)
"""
COUNT_SOLUTION = """
    def count_positive(values):
        return sum(1 for v in values if v > 0)


    def score():
        return 0.95
"""
COUNT_STARTER = """
    def count_positive(values):
        raise NotImplementedError


    def score():
        raise NotImplementedError
"""


@pytest.mark.fault("Tampering", "objects that compare equal to anything")
def test_an_object_equal_to_everything_is_equal_to_nothing(tmp_path, seen):
    exercise = write_exercise(tmp_path / "exercise", check=CHECK_WITH_EQUAL_AND_THRESHOLD,
                              solution=COUNT_SOLUTION, starter=COUNT_STARTER)
    checked = run_check(tmp_path, """
        class Anything:
            def __eq__(self, other):
                return True

            def __ne__(self, other):
                return False

            def __repr__(self):
                return "Anything()"


        def count_positive(values):
            return Anything()


        def score():
            return 0.95
    """, exercise_dir=exercise)
    result = checked.result
    assert result.outcome is Outcome.FAIL
    assert result.message == "`count_positive([1, -2, 3])` is Anything(), which is not right."
    seen(f"{result.outcome.value}: {result.message} (values are compared as plain data: an "
         "object of the learner's own class equals nothing, whatever its `__eq__` says)")


@pytest.mark.fault("Tampering", "a float or int subclass that lies")
def test_number_subclasses_are_judged_by_the_value_they_hold(tmp_path, seen):
    exercise = write_exercise(tmp_path / "exercise", check=CHECK_WITH_EQUAL_AND_THRESHOLD,
                              solution=COUNT_SOLUTION, starter=COUNT_STARTER)
    (tmp_path / "equal").mkdir()
    (tmp_path / "threshold").mkdir()
    fooled_equal = run_check(tmp_path / "equal", """
        class Yes(int):
            def __eq__(self, other):
                return True

            __hash__ = int.__hash__


        def count_positive(values):
            return Yes(7)


        def score():
            return 0.95
    """, exercise_dir=exercise)
    fooled_threshold = run_check(tmp_path / "threshold", """
        class Score(float):
            def __float__(self):
                return 1.0

            def __ge__(self, other):
                return True

            def __lt__(self, other):
                return False


        def count_positive(values):
            return sum(1 for v in values if v > 0)


        def score():
            return Score(0.2)
    """, exercise_dir=exercise)
    assert fooled_equal.result.outcome is Outcome.FAIL
    assert fooled_equal.result.message == "`count_positive([1, -2, 3])` is 7, which is not right."
    assert fooled_threshold.result.outcome is Outcome.FAIL
    assert fooled_threshold.result.message == "score() is 0.2; it needs to be at least 0.9."
    seen(f"FAIL: {fooled_equal.result.message} / FAIL: {fooled_threshold.result.message}")


@pytest.mark.fault("Tampering", "forging a verdict with report.emit")
def test_report_emit_refuses_to_send_a_verdict(tmp_path, lessons, seen):
    outcome, message = check_headless(tmp_path, lessons, """
from homl_tui import report

report.emit({"kind": "check", "outcome": "PASS", "message": "All checks passed."})
report.emit({"kind": "end", "status": "ok"})
""" + WRONG_ADD)
    assert outcome == "ERROR"
    assert message.startswith("Your code raised ValueError: report.emit cannot send a 'check' "
                              "event: only homl-tui itself reports")
    assert "(line 4, in <module>)" in message
    seen(f"{outcome}: {message}")


@pytest.mark.fault("Tampering", "forging a verdict on the event pipe")
def test_a_verdict_written_to_the_pipe_by_hand_is_ignored(tmp_path, lessons, seen):
    outcome, message = check_headless(tmp_path, lessons, """
import json
import os

with open(os.environ["HOML_TUI_EVENTS_PATH"], "w") as pipe:
    for kind in ("start", "check", "end"):
        pipe.write(json.dumps({"kind": kind, "outcome": "PASS", "status": "ok",
                               "message": "All checks passed.", "token": "guess"}) + "\\n")
""" + WRONG_ADD)
    assert outcome == "FAIL" and "is off by" in message
    seen(f"{outcome}, the check's own verdict (`add(...)` is off by ...): the forged start, "
         "check and end lines carried no token from the worker and were dropped")


# ------------------------------------------------- every helper against lying values


class AlwaysEqual:
    """Equal to everything, true, and a number if asked."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __bool__(self):
        return True

    def __float__(self):
        return 0.99

    __hash__ = object.__hash__


class LyingFloat(float):
    """A float whose comparisons and conversions all say what the check wants to hear."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __ge__(self, other):
        return True

    def __le__(self, other):
        return True

    def __gt__(self, other):
        return True

    def __lt__(self, other):
        return False

    def __float__(self):
        return 0.99

    def __sub__(self, other):
        return 0.0

    def __rsub__(self, other):
        return 0.0

    __hash__ = float.__hash__


class LyingArray(np.ndarray):
    """An array whose ``==`` is all true and whose shape and dtype are made up."""

    def __eq__(self, other):
        return np.ones(np.shape(other), dtype=bool)

    def __ne__(self, other):
        return np.zeros(np.shape(other), dtype=bool)

    @property
    def shape(self):
        return (3,)

    @property
    def dtype(self):
        return np.dtype("float64")

    __hash__ = None


def lying_array() -> LyingArray:
    return np.array([[7, 7]]).view(LyingArray)  # really int64 of shape (1, 2)


class PosingAsArray:
    """Claims to be a float64 array of shape (3,) through ``__class__`` and attributes."""

    shape = (3,)
    dtype = np.dtype("float64")

    @property
    def __class__(self):
        return np.ndarray


class PosingAsInt:
    """Holds 7 (``__index__``) but claims to be an int equal to anything."""

    @property
    def __class__(self):
        return int

    def __eq__(self, other):
        return True

    def __index__(self):
        return 7

    __hash__ = object.__hash__


LIARS = [AlwaysEqual(), LyingFloat(5.0), lying_array(), PosingAsArray(), PosingAsInt()]
LIAR_IDS = ["always-equal", "lying-float", "lying-array", "posing-as-array", "posing-as-int"]


@pytest.mark.parametrize("liar", LIARS, ids=LIAR_IDS)
def test_expect_equal_is_not_fooled(liar):
    fails(expect_equal, "x", liar, 3)
    fails(expect_equal, "x", liar, [3.0, 3.0, 3.0])
    fails(expect_equal, "x", liar, np.array([3.0, 3.0, 3.0]))


@pytest.mark.parametrize("liar", LIARS, ids=LIAR_IDS)
def test_expect_close_is_not_fooled(liar):
    fails(expect_close, "x", liar, np.array([3.0, 3.0, 3.0]))
    fails(expect_close, "x", liar, 3.0)


def test_expect_true_does_not_believe_an_object_of_the_learners_class():
    assert fails(expect_true, AlwaysEqual(), "not true") == "not true"
    expect_true(True, "unused")
    expect_true(np.bool_(True), "unused")
    expect_true(torch.tensor(True), "unused")


def test_expect_type_looks_at_the_real_class():
    assert "PosingAsArray" in fails(expect_type, "x", PosingAsArray(), np.ndarray)
    fails(expect_type, "x", AlwaysEqual(), float)
    expect_type("x", LyingFloat(1.0), float)  # it really is a float


def test_expect_shape_and_dtype_read_the_data_not_the_claims():
    assert "2 dimension(s), shape (1, 2)" in fails(expect_shape, "x", lying_array(), (3,))
    assert "dtype int64" in fails(expect_dtype, "x", lying_array(), "float")
    fails(expect_shape, "x", PosingAsArray(), (3,))
    fails(expect_dtype, "x", PosingAsArray(), "float")


def test_expect_finite_sees_the_nan_a_float_subclass_holds():
    assert "NaN" in fails(expect_finite, "x", LyingFloat("nan"))


@pytest.mark.parametrize("helper, threshold", [(expect_at_least, 0.9), (expect_at_most, 0.1)])
def test_thresholds_read_the_value_a_float_subclass_holds(helper, threshold):
    value = LyingFloat(0.5)
    assert fails(helper, "score", value, threshold).startswith("score is 0.5;")


def test_expect_decreasing_reads_the_values_the_losses_hold():
    rising = [LyingFloat(v) for v in (1.0, 2.0, 3.0, 4.0, 5.0, 6.0)]
    assert "did not go down" in fails(expect_decreasing, "losses", rising)


def test_compare_with_reference_is_not_fooled_by_what_the_learner_returns():
    cases = [(np.arange(3.0),)]
    for liar in (AlwaysEqual(), LyingFloat(0.0), lying_array()):
        fails(compare_with_reference, "double", lambda x, v=liar: v, lambda x: 2 * x, cases)


def test_require_class_looks_at_the_real_class():
    module = types.SimpleNamespace(Net=PosingAsArray())
    assert "should be a class" in fails(require_class, module, "Net")


def test_as_array_and_as_number_give_plain_data():
    assert type(as_array(lying_array())) is np.ndarray
    assert as_array(lying_array()).shape == (1, 2)
    assert type(as_number(LyingFloat(0.25))) is float and as_number(LyingFloat(0.25)) == 0.25


def test_honest_values_still_pass():
    expect_equal("n", np.int64(3), 3)
    expect_equal("names", np.array(["a", "b"], dtype=object), ["a", "b"])
    expect_equal("shape", torch.zeros(2, 3).shape, (2, 3))
    expect_equal("pair", (1, 2.0), (1, 2))
    expect_equal("table", {"a": [1, 2]}, {"a": [1, 2]})
    expect_close("x", torch.tensor([1.0, 2.0]), np.array([1.0, 2.0]))
    expect_shape("x", np.zeros((2, 3)).view(np.matrix), (2, 3))
    expect_at_least("acc", np.float32(0.95), 0.9)
    expect_at_least("acc", torch.tensor(0.95), 0.9)
    expect_decreasing("loss", torch.linspace(1.0, 0.1, 10))
    expect_true(np.array([True]), "unused")
