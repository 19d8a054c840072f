"""Property-based tests: arbitrary bytes never crash the event protocol or the manifest loader.

tests/test_events.py checks :func:`~homl_tui.runtime.events.parse_line` one line at a time;
here the whole path is fuzzed: a real runner reading a pipe fed arbitrary chunks, what the
parser lets through written to a real store and printed, JUnit reports of arbitrary messages,
and ``load_course`` on arbitrary manifests (bytes, TOML documents, mutations of a valid one).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import tomllib
from conftest import DEMO_LESSON, make_spec
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from homl_tui.course import load_course
from homl_tui.course.loader import ID_RE
from homl_tui.junit import write_junit
from homl_tui.outcome import Outcome
from homl_tui.runtime.batch import coalesce
from homl_tui.runtime.events import KINDS, Event, parse_line
from homl_tui.runtime.recording import batch_from_delta, record_batch
from homl_tui.runtime.runner import Run, RunResult
from homl_tui.store import Store
from homl_tui.store.runs import Cursor

MODEST = settings(max_examples=150, deadline=None, database=None,
                  suppress_health_check=[HealthCheck.too_slow])

# ------------------------------------------------------------- event streams

text = st.text(alphabet=st.characters(), max_size=12)  # lone surrogates included
scalars = (st.none() | st.booleans() | st.integers() | st.floats()
           | st.sampled_from(["nan", "inf", "-inf"]) | text)
json_values = st.recursive(
    scalars, lambda children: st.lists(children, max_size=3)
    | st.dictionaries(text, children, max_size=3), max_leaves=12)


@st.composite
def event_lines(draw: st.DrawFn) -> bytes:
    """One line as a worker (or learner code writing to the pipe) might send it."""
    obj = draw(st.dictionaries(st.sampled_from(["text", "step", "values", "run", "outcome",
                                                "message", "device", "name", "done"]),
                               json_values, max_size=4))
    obj["kind"] = draw(st.sampled_from(sorted(KINDS)) | text)
    if obj["kind"] == "metric" and draw(st.booleans()):
        obj["values"] = draw(st.dictionaries(text, scalars, min_size=1, max_size=3))
    ascii_only = draw(st.booleans())  # the worker escapes; other writers may not
    return (json.dumps(obj, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
            + draw(st.sampled_from([b"\n", b"\r\n", b""])))


pipe_lines = st.lists(event_lines() | st.binary(max_size=40), max_size=10)


def split_at(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({0, len(data), *(cut % (len(data) + 1) for cut in cuts)})
    return [data[a:b] for a, b in zip(points, points[1:], strict=False)]


def well_formed(data: bytes) -> list[Event]:
    """What the runner must deliver from ``data``: each line that parses, in order, except
    ``check`` and ``end``: those only the worker sends (with a token these lines lack), and
    the runner sends the one true end itself."""
    events = (parse_line(line) for line in data.split(b"\n"))
    return [event for event in events if event and event["kind"] not in ("check", "end")]


def same(got: list[Event], expected: list[Event]) -> bool:
    """Equal events, NaN values included (``nan != nan``, but both dump as ``NaN``)."""
    return json.dumps(got) == json.dumps(expected)


def strings_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings_in(item)


@MODEST
@given(lines=pipe_lines, cuts=st.lists(st.integers(min_value=0), max_size=8))
def test_the_runner_reading_arbitrary_chunks_passes_on_exactly_the_well_formed_events(
        lines, cuts):
    data = b"".join(lines)
    run = Run(make_spec(Path("attempt.py"), None, mode="run"))
    read_fd, write_fd = os.pipe()
    reader = threading.Thread(target=run._read_events, args=(read_fd,))
    reader.start()
    try:
        for chunk in split_at(data, cuts):
            os.write(write_fd, chunk)
    finally:
        os.close(write_fd)
    reader.join(timeout=10)
    assert not reader.is_alive()
    assert same(run.drain(), well_formed(data))


@pytest.fixture(scope="module")
def fake_worker(tmp_path_factory) -> Path:
    """An executable that stands in for the worker: writes the chunks it is given to the
    event pipe, one ``write`` each, pausing between them so the runner reads them apart."""
    path = tmp_path_factory.mktemp("fake") / "worker"
    path.write_text(
        f"#!{sys.executable} -S\n"
        "import json, os, time\n"
        "fd = int(os.environ['HOML_TUI_EVENTS_FD'])\n"
        "for chunk in json.loads(os.environ['HOML_TEST_CHUNKS']):\n"
        "    os.write(fd, bytes.fromhex(chunk))\n"
        "    time.sleep(0.001)\n", encoding="utf-8")
    path.chmod(0o755)
    return path


@settings(max_examples=40, deadline=None, database=None)
@given(lines=pipe_lines, cuts=st.lists(st.integers(min_value=0), max_size=8))
def test_a_real_run_fed_arbitrary_bytes_ends_once_with_exactly_the_well_formed_events(
        fake_worker, lines, cuts):
    data = b"".join(lines)
    chunks = [chunk.hex() for chunk in split_at(data, cuts)]
    spec = make_spec(fake_worker, None, mode="run", timeout_s=20.0,
                     env={"HOML_TEST_CHUNKS": json.dumps(chunks)})
    events: list[Event] = []
    Run(spec, python=str(fake_worker)).start().wait(events.append)
    assert same(events[:-1], well_formed(data))
    assert events[-1]["kind"] == "end"


@MODEST
@given(lines=st.lists(event_lines(), min_size=1, max_size=8))
def test_every_event_the_parser_lets_through_can_be_printed_stored_and_read_back(lines):
    events = [event for event in map(parse_line, lines) if event is not None]
    for event in events:  # printable on a UTF-8 terminal, storable in SQLite
        for value in strings_in(event):
            value.encode("utf-8")
    batch = coalesce(events)
    store = Store(Path(":memory:"))
    try:
        run_id = store.runs.create("demo/add", "run")
        record_batch(store.runs, run_id, batch)
        back = batch_from_delta(store.runs.read(run_id, Cursor()))
    finally:
        store.close()
    assert back.output == [(kind, text) for kind, text in batch.output if text]
    assert [(step, name) for step, name, _ in back.metrics] == \
        [(step, name) for step, name, _ in batch.metrics]
    for (_, _, got), (_, _, sent) in zip(back.metrics, batch.metrics, strict=True):
        assert got == sent or math.isnan(got) and math.isnan(sent)


@MODEST
@given(message=st.text(), details=st.text(),
       outcome=st.sampled_from([o for o in Outcome if o is not Outcome.PASS]))
def test_a_junit_report_of_any_message_parses(tmp_path_factory, message, details, outcome):
    job = SimpleNamespace(exercise=SimpleNamespace(lesson_id="demo", id="add"), role="workspace",
                          result=RunResult("failed", outcome, message, details, 0.1))
    report = tmp_path_factory.getbasetemp() / "junit-property.xml"
    write_junit(report, "homl-tui check", [job])
    (node,) = [n for n in ET.parse(report).getroot().iter() if n.get("type") == outcome.value]
    assert len(node.get("message")) == len(message)  # every character kept or replaced 1:1
    assert "\x1b" not in (node.text or "")


# ------------------------------------------------------------------ manifests

GOOD_MANIFEST = (DEMO_LESSON / "lesson.toml").read_bytes().replace(b'id = "demo"', b'id = "fuzz"')
GOOD = tomllib.loads(GOOD_MANIFEST.decode())


def toml_string(value: str) -> str:
    out = []
    for char in value:
        if char in '"\\' or ord(char) < 0x20 or char == "\x7f":
            out.append(f"\\u{ord(char):04x}" if char not in '"\\' else "\\" + char)
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_value(value: Any) -> str:
    """``value`` as TOML (inline tables and arrays all the way down)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") \
            if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_string(k)} = {toml_value(v)}"
                               for k, v in value.items()) + "}"
    return value.isoformat()  # a date or time


def toml_document(data: dict[str, Any]) -> bytes:
    return "".join(f"{toml_string(k)} = {toml_value(v)}\n" for k, v in data.items()).encode()


toml_text = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12)
toml_scalars = (st.booleans() | st.integers(min_value=-2**63, max_value=2**63 - 1)
                | st.floats() | toml_text | st.dates() | st.datetimes())
toml_values = st.recursive(
    toml_scalars, lambda children: st.lists(children, max_size=3)
    | st.dictionaries(toml_text, children, max_size=3), max_leaves=10)
manifest_keys = st.sampled_from(["id", "title", "part", "chapter", "order", "summary", "text",
                                 "budget", "exercises", "prerequisites", "datasets", "dir",
                                 "hints", "mutants", "file", "expect", "frameworks", "seed",
                                 "timeout_s", "memory_mb", "run_timeout_s", "prompt"]) | toml_text


@st.composite
def mutated_manifests(draw: st.DrawFn) -> bytes:
    """The valid manifest with a few fields removed, replaced or added, anywhere in it."""
    data = json.loads(json.dumps(GOOD))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        node = data
        while True:  # walk down to a table
            children = [v for v in (node.values() if isinstance(node, dict) else node)
                        if isinstance(v, (dict, list)) and v]
            if not children or draw(st.booleans()):
                break
            node = draw(st.sampled_from(children))
        if isinstance(node, list):
            index = draw(st.integers(min_value=0, max_value=len(node) - 1))
            if draw(st.booleans()):
                del node[index]
            else:
                node[index] = draw(toml_values)
            continue
        action = draw(st.sampled_from(["delete", "replace", "add"]))
        if action != "add" and node:
            key = draw(st.sampled_from(sorted(node)))
            if action == "delete":
                del node[key]
            else:
                node[key] = draw(toml_values)
        else:
            node[draw(manifest_keys)] = draw(toml_values)
    return toml_document(data)


@st.composite
def damaged_manifests(draw: st.DrawFn) -> bytes:
    """The valid manifest's bytes with a few spans deleted, replaced or inserted."""
    data = bytearray(GOOD_MANIFEST)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        at = draw(st.integers(min_value=0, max_value=len(data)))
        cut = draw(st.integers(min_value=0, max_value=8))
        data[at:at + cut] = draw(st.binary(max_size=6))
    return bytes(data)


@pytest.fixture(scope="module")
def course_root(tmp_path_factory) -> Path:
    """A course of two complete lessons: the demo lesson, and a copy whose manifest the
    tests overwrite (its folder sorts last, so the demo always loads first)."""
    root = tmp_path_factory.mktemp("course") / "lessons"
    shutil.copytree(DEMO_LESSON, root / "01_demo")
    shutil.copytree(DEMO_LESSON, root / "99_fuzz")
    (root / "99_fuzz" / "lesson.toml").write_bytes(GOOD_MANIFEST)
    course = load_course(root)
    assert [lesson.id for lesson in course.lessons] == ["demo", "fuzz"] and not course.problems
    return root


def assert_loads_or_names_its_file(root: Path, manifest: bytes) -> None:
    """``load_course`` does not raise; the demo loads; the fuzzed lesson loads with sane
    values, or every problem names its manifest."""
    path = root / "99_fuzz" / "lesson.toml"
    path.write_bytes(manifest)
    course = load_course(root)
    assert "demo" in [lesson.id for lesson in course.lessons]
    for problem in course.problems:
        assert problem.path == path, problem
        assert str(path) in str(problem)
    fuzzed = [lesson for lesson in course.lessons if lesson.directory == path.parent]
    if not fuzzed:
        assert course.problems, "the lesson vanished without a problem"
        return
    (lesson,) = fuzzed
    assert ID_RE.fullmatch(lesson.id) and lesson.part >= 1 and isinstance(lesson.text, str)
    for exercise in lesson.exercises:
        assert ID_RE.fullmatch(exercise.id) and exercise.starter.is_file()
        budget = exercise.budget
        assert math.isfinite(budget.timeout_s) and budget.timeout_s > 0
        assert math.isfinite(budget.run_timeout_s) and budget.run_timeout_s > 0


@MODEST
@given(manifest=st.binary(max_size=400))
@example(manifest=b"x = " + b"[" * 5000 + b"]" * 5000)  # deeper than Python's recursion limit
@example(manifest=GOOD_MANIFEST.replace(b'order = 1', b'order = 1\ntext = "a\\u0000b"'))
@example(manifest=GOOD_MANIFEST.replace(b"timeout_s = 20", b"timeout_s = nan"))
def test_a_manifest_of_arbitrary_bytes_is_a_problem_naming_it(course_root, manifest):
    assert_loads_or_names_its_file(course_root, manifest)


@MODEST
@given(document=st.dictionaries(manifest_keys, toml_values, max_size=8))
def test_an_arbitrary_toml_manifest_loads_or_is_a_problem_naming_it(course_root, document):
    assert_loads_or_names_its_file(course_root, toml_document(document))


@MODEST
@given(manifest=mutated_manifests())
def test_a_valid_manifest_with_fields_changed_loads_or_is_a_problem_naming_it(
        course_root, manifest):
    assert_loads_or_names_its_file(course_root, manifest)


@MODEST
@given(manifest=damaged_manifests())
def test_a_valid_manifest_with_bytes_damaged_loads_or_is_a_problem_naming_it(
        course_root, manifest):
    assert_loads_or_names_its_file(course_root, manifest)


def test_the_toml_writer_of_these_tests_round_trips_the_valid_manifest():
    assert tomllib.loads(toml_document(GOOD).decode()) == GOOD

