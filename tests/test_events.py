"""The event wire format (homl_tui.runtime.events.parse_line): well-formed events in, None for
anything else, and never an exception."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from homl_tui.runtime.events import KINDS, MAX_LINE, metric_value, parse_line


def line(obj) -> bytes:
    return (json.dumps(obj) + "\n").encode()


# ---------------------------------------------------------------- valid events


@pytest.mark.parametrize("kind", sorted(KINDS - {"metric"}))
def test_every_known_kind_parses_as_is(kind):
    event = {"kind": kind, "text": "x", "extra": [1, 2]}
    assert parse_line(line(event)) == event


def test_str_and_bytes_lines_are_both_accepted():
    assert parse_line('{"kind": "stdout", "text": "hi"}') == {"kind": "stdout", "text": "hi"}
    assert parse_line(b'{"kind": "stdout", "text": "h\\u00e9"}\n') == {"kind": "stdout",
                                                                       "text": "hé"}


def test_metric_event_keeps_numeric_values_and_the_step():
    event = parse_line(line({"kind": "metric", "step": 4, "values": {"loss": 0.5, "n": 3},
                             "run": "val"}))
    assert event == {"kind": "metric", "step": 4, "values": {"loss": 0.5, "n": 3.0}, "run": "val"}


def test_metric_nan_and_infinity_strings_become_floats():
    event = parse_line(line({"kind": "metric", "step": 0,
                             "values": {"a": "nan", "b": "inf", "c": "-inf"}}))
    assert math.isnan(event["values"]["a"])
    assert event["values"]["b"] == math.inf and event["values"]["c"] == -math.inf


def test_metric_step_defaults_to_zero_when_missing_or_not_a_finite_number():
    for step in (None, "3", "nan", 1e400, [1]):
        obj = {"kind": "metric", "values": {"a": 1}}
        if step is not None:
            obj["step"] = step
        assert parse_line(line(obj))["step"] == 0, step


def test_metric_float_step_is_truncated_to_int():
    assert parse_line(line({"kind": "metric", "step": 2.7, "values": {"a": 1}}))["step"] == 2


# -------------------------------------------------------------- invalid lines


@pytest.mark.parametrize("text", [
    b"",
    b"\n",
    b"not json",
    b'{"kind": "stdout"',
    b"{'kind': 'stdout'}",
    b"\xff\xfe\x00garbage",
    b"\xc3\x28",
])
def test_invalid_json_gives_none(text):
    assert parse_line(text) is None


@pytest.mark.parametrize("value", [[{"kind": "stdout"}], "stdout", 3, None, True])
def test_json_that_is_not_an_object_gives_none(value):
    assert parse_line(line(value)) is None


@pytest.mark.parametrize("kind", ["bogus", "", "STDOUT", None, 3, [], {"a": 1}])
def test_unknown_or_missing_kind_gives_none(kind):
    assert parse_line(line({"kind": kind, "text": "x"})) is None
    assert parse_line(line({"text": "x"})) is None


def test_metric_drops_values_that_are_not_numbers():
    event = parse_line(line({"kind": "metric", "step": 1, "values": {
        "good": 1.5, "flag": True, "text": "high", "none": None, "nested": {"a": 1},
        "list": [1], "huge": 10**400}}))
    assert event["values"] == {"good": 1.5}


def test_metric_with_no_usable_values_gives_none():
    assert parse_line(line({"kind": "metric", "step": 1, "values": {"a": "x", "b": False}})) is None
    assert parse_line(line({"kind": "metric", "step": 1, "values": {}})) is None
    assert parse_line(line({"kind": "metric", "step": 1, "values": [1.0]})) is None
    assert parse_line(line({"kind": "metric", "step": 1})) is None


def test_huge_integers_do_not_raise():
    assert parse_line(b'{"kind": "metric", "step": 1' + b"0" * 400 + b', "values": {"a": 1}}') \
        == {"kind": "metric", "step": 0, "values": {"a": 1.0}}
    assert parse_line(b'{"kind": "metric", "values": {"a": 1' + b"0" * 400 + b"}}") is None


def test_lines_longer_than_the_limit_are_dropped():
    text = "x" * (MAX_LINE + 10)
    assert parse_line(line({"kind": "stdout", "text": text})) is None


def test_lines_just_under_the_limit_are_kept():
    text = "x" * (MAX_LINE - 100)
    assert parse_line(line({"kind": "stdout", "text": text}))["text"] == text


def test_deeply_nested_json_gives_none_not_recursion_error():
    assert parse_line(b"[" * 200_000 + b"]" * 200_000) is None
    assert parse_line(b'{"kind": "note", "x": ' + b"[" * 200_000 + b"]" * 200_000 + b"}") is None


def test_metric_value_converts_or_gives_nan():
    assert metric_value(2) == 2.0
    assert metric_value("inf") == math.inf
    assert math.isnan(metric_value("oops"))
    assert math.isnan(metric_value(None))


# ------------------------------------------------------------------ properties

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None, database=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_raise(data):
    event = parse_line(data)
    assert event is None or (isinstance(event, dict) and event["kind"] in KINDS)


@settings(max_examples=300, deadline=None, database=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_raises(text):
    event = parse_line(text)
    assert event is None or event["kind"] in KINDS


@settings(max_examples=300, deadline=None, database=None)
@given(kind=st.sampled_from(sorted(KINDS)) | json_values, step=json_values,
       values=json_values, rest=st.dictionaries(st.text(max_size=5), json_values, max_size=3))
def test_arbitrary_json_objects_never_raise_and_metrics_come_out_clean(kind, step, values, rest):
    obj = {**rest, "kind": kind, "step": step, "values": values}
    event = parse_line(json.dumps(obj))
    if event is None:
        return
    assert event["kind"] in KINDS
    if event["kind"] == "metric":
        assert isinstance(event["step"], int)
        assert event["values"]
        assert all(isinstance(v, float) for v in event["values"].values())
