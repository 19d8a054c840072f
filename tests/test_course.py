"""Discovering, validating and selecting lessons (homl_tui.course)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DEMO_LESSON, FIXTURE_LESSONS, dedent

from homl_tui.course import Course, Problem, load_course, load_lesson
from homl_tui.course.model import Exercise, Lesson

EXERCISE_TOML = """
[[exercises]]
id = "{ex_id}"
title = "Exercise {ex_id}"
prompt = "Do it."
frameworks = ["numpy"]
hints = ["one", "two", "three"]
mutants = [{{ file = "mutants/wrong.py", expect = "off by" }}]
"""


def manifest(lesson_id: str, *, order: int = 1, part: int = 1,
             exercises: tuple[str, ...] = ("ex",), extra: str = "") -> str:
    head = dedent(f"""
        id = "{lesson_id}"
        title = "Lesson {lesson_id}"
        part = {part}
        chapter = "ch. {order}"
        order = {order}
        summary = "About {lesson_id}."
        {extra}
    """)
    return head + "".join(EXERCISE_TOML.format(ex_id=e) for e in exercises)


def write_lesson(root: Path, folder: str, toml: str, *, exercises: tuple[str, ...] = ("ex",),
                 text: str | None = None) -> Path:
    """A lesson folder with a manifest, text and complete exercise folders."""
    directory = root / folder
    directory.mkdir(parents=True)
    (directory / "lesson.toml").write_text(toml, encoding="utf-8")
    body = text if text is not None else "# Title\n\n" + "".join(
        f"Some words here.\n\n::: exercise {e}\n\n" for e in exercises)
    (directory / "lesson.md").write_text(body, encoding="utf-8")
    for ex_id in exercises:
        ex_dir = directory / "exercises" / ex_id
        (ex_dir / "mutants").mkdir(parents=True)
        for name in ("starter.py", "solution.py", "check.py", "mutants/wrong.py"):
            (ex_dir / name).write_text("# code\n", encoding="utf-8")
    return directory


def good_lesson(root: Path, lesson_id: str = "good", folder: str = "01_good", **kw) -> Path:
    return write_lesson(root, folder, manifest(lesson_id, **kw))


def only_problem(course: Course) -> Problem:
    assert len(course.problems) == 1, course.problems
    return course.problems[0]


# ------------------------------------------------------------------ discovery


def test_fixture_course_loads_the_demo_lesson_without_problems():
    course = load_course(FIXTURE_LESSONS)
    assert course.problems == []
    lesson = course.lesson("demo")
    assert lesson is not None
    assert lesson.title == "A demo lesson"
    assert (lesson.part, lesson.order, lesson.chapter) == (1, 1, "test fixture")
    assert lesson.directory == DEMO_LESSON


def test_fixture_exercise_has_files_hints_mutants_budget_and_key():
    (exercise,) = load_course(FIXTURE_LESSONS).select("demo")
    assert exercise.key == "demo/add"
    assert exercise.starter.is_file() and exercise.solution.is_file() and exercise.check.is_file()
    assert len(exercise.hints) == 3
    assert [(m.name, m.expect) for m in exercise.mutants] == [
        ("subtract", "is off by"), ("first_only", "shape")]
    assert exercise.frameworks == ("numpy",)
    assert (exercise.budget.timeout_s, exercise.budget.memory_mb) == (20.0, 1024)


def test_lessons_are_ordered_by_part_then_order_not_by_folder_name(tmp_path):
    good_lesson(tmp_path, "late", "01_late", part=2, order=1)
    good_lesson(tmp_path, "second", "02_second", part=1, order=20)
    good_lesson(tmp_path, "first", "03_first", part=1, order=10)
    course = load_course(tmp_path)
    assert course.problems == []
    assert [lesson.id for lesson in course.lessons] == ["first", "second", "late"]


def test_folders_without_a_manifest_are_ignored(tmp_path):
    good_lesson(tmp_path)
    (tmp_path / "assets").mkdir()
    (tmp_path / "notes.txt").write_text("not a lesson")
    course = load_course(tmp_path)
    assert [lesson.id for lesson in course.lessons] == ["good"]
    assert course.problems == []


def test_missing_lessons_folder_is_a_problem_not_an_exception(tmp_path):
    course = load_course(tmp_path / "nowhere")
    assert course.lessons == []
    assert "not found" in only_problem(course).message


def test_exercise_budget_inherits_the_lesson_budget_and_may_override_it(tmp_path):
    toml = manifest("b", exercises=("plain", "quick"))
    toml = toml.replace('summary = "About b."', 'summary = "About b."\n[budget]\ntimeout_s = 7\n'
                        'memory_mb = 300\n', 1)
    toml = toml.replace('id = "quick"', 'id = "quick"\ntimeout_s = 2.5', 1)
    write_lesson(tmp_path, "01_b", toml, exercises=("plain", "quick"))
    lesson = load_course(tmp_path).lesson("b")
    assert lesson is not None
    assert lesson.exercise("plain").budget.timeout_s == 7.0
    assert lesson.exercise("plain").budget.memory_mb == 300
    assert lesson.exercise("quick").budget.timeout_s == 2.5


# ------------------------------------------------------ broken lessons: problems


def test_bad_toml_is_reported_with_the_file_and_other_lessons_still_load(tmp_path):
    good_lesson(tmp_path)
    broken = write_lesson(tmp_path, "02_broken", 'id = "broken"\ntitle = "unterminated\n')
    course = load_course(tmp_path)
    problem = only_problem(course)
    assert problem.path == broken / "lesson.toml"
    assert "not valid TOML" in problem.message
    assert [lesson.id for lesson in course.lessons] == ["good"]


def test_missing_required_field_names_the_field(tmp_path):
    good_lesson(tmp_path)
    toml = manifest("notitle").replace('title = "Lesson notitle"\n', "")
    broken = write_lesson(tmp_path, "02_notitle", toml)
    course = load_course(tmp_path)
    problem = only_problem(course)
    assert problem.path == broken / "lesson.toml"
    assert problem.field == "title"
    assert "required" in problem.message
    assert str(broken / "lesson.toml") in str(problem) and "[title]" in str(problem)
    assert [lesson.id for lesson in course.lessons] == ["good"]


def test_wrong_type_names_the_field_and_both_types(tmp_path):
    good_lesson(tmp_path)
    write_lesson(tmp_path, "02_strpart", manifest("strpart").replace("part = 1", 'part = "one"'))
    course = load_course(tmp_path)
    problem = only_problem(course)
    assert problem.field == "part"
    assert "int" in problem.message and "str" in problem.message
    assert [lesson.id for lesson in course.lessons] == ["good"]


def test_boolean_is_not_accepted_where_a_number_is_required(tmp_path):
    write_lesson(tmp_path, "01_boolorder", manifest("boolorder").replace("order = 1",
                                                                         "order = true"))
    problem = only_problem(load_course(tmp_path))
    assert problem.field == "order"
    assert "bool" in problem.message


def test_missing_starter_file_names_the_exercise_and_the_file(tmp_path):
    good_lesson(tmp_path)
    broken = write_lesson(tmp_path, "02_nostarter", manifest("nostarter"))
    (broken / "exercises" / "ex" / "starter.py").unlink()
    course = load_course(tmp_path)
    problem = only_problem(course)
    assert problem.path == broken / "lesson.toml"
    assert problem.field == "exercises.ex.dir"
    assert "starter.py" in problem.message and "does not exist" in problem.message
    assert [lesson.id for lesson in course.lessons] == ["good"]


def test_missing_mutant_file_names_the_mutant_field(tmp_path):
    broken = write_lesson(tmp_path, "01_nomutant", manifest("nomutant"))
    (broken / "exercises" / "ex" / "mutants" / "wrong.py").unlink()
    problem = only_problem(load_course(tmp_path))
    assert problem.field == "exercises.ex.mutants[0].file"
    assert "wrong.py" in problem.message


def test_fewer_than_three_hints_is_a_problem_naming_the_hints_field(tmp_path):
    good_lesson(tmp_path)
    toml = manifest("fewhints").replace('hints = ["one", "two", "three"]', 'hints = ["one", "two"]')
    write_lesson(tmp_path, "02_fewhints", toml)
    course = load_course(tmp_path)
    problem = only_problem(course)
    assert problem.field == "exercises.ex.hints"
    assert "at least 3" in problem.message and "has 2" in problem.message
    assert [lesson.id for lesson in course.lessons] == ["good"]


def test_blank_hint_is_rejected(tmp_path):
    toml = manifest("blank").replace('hints = ["one", "two", "three"]',
                                     'hints = ["one", "  ", "three"]')
    write_lesson(tmp_path, "01_blank", toml)
    assert only_problem(load_course(tmp_path)).field == "exercises.ex.hints"


def test_unknown_framework_is_a_problem_naming_it(tmp_path):
    good_lesson(tmp_path)
    toml = manifest("tf").replace('frameworks = ["numpy"]', 'frameworks = ["numpy", "tensorflow"]')
    write_lesson(tmp_path, "02_tf", toml)
    course = load_course(tmp_path)
    problem = only_problem(course)
    assert problem.field == "exercises.ex.frameworks"
    assert "tensorflow" in problem.message
    assert [lesson.id for lesson in course.lessons] == ["good"]


def test_duplicate_exercise_ids_in_a_lesson_are_a_problem(tmp_path):
    good_lesson(tmp_path)
    write_lesson(tmp_path, "02_dup", manifest("dup", exercises=("same", "same")),
                 exercises=("same",))
    course = load_course(tmp_path)
    problem = only_problem(course)
    assert problem.field == "exercises"
    assert "duplicate" in problem.message and "same" in problem.message
    assert [lesson.id for lesson in course.lessons] == ["good"]


def test_duplicate_lesson_ids_keep_the_first_and_report_the_second(tmp_path):
    good_lesson(tmp_path, "twin", "01_twin")
    second = good_lesson(tmp_path, "twin", "02_twin")
    course = load_course(tmp_path)
    problem = only_problem(course)
    assert problem.path == second / "lesson.toml"
    assert problem.field == "id"
    assert "01_twin" in problem.message
    assert [lesson.directory.name for lesson in course.lessons] == ["01_twin"]


@pytest.mark.parametrize("budget, field", [
    ("timeout_s = 0", "budget.timeout_s"),
    ("memory_mb = 10", "budget.memory_mb"),
    ('timeout_s = "60"', "budget.timeout_s"),
])
def test_unusable_budget_is_a_problem_naming_the_budget_field(tmp_path, budget, field):
    toml = manifest("budget").replace('summary = "About budget."',
                                      f'summary = "About budget."\n[budget]\n{budget}\n')
    write_lesson(tmp_path, "01_budget", toml)
    assert only_problem(load_course(tmp_path)).field == field


def test_invalid_lesson_id_is_rejected(tmp_path):
    write_lesson(tmp_path, "01_caps", manifest("Caps Lock"))
    assert only_problem(load_course(tmp_path)).field == "id"


def test_missing_text_file_is_a_problem(tmp_path):
    broken = write_lesson(tmp_path, "01_notext", manifest("notext"))
    (broken / "lesson.md").unlink()
    problem = only_problem(load_course(tmp_path))
    assert problem.field == "text"
    assert "lesson.md" in problem.message


def test_unknown_prerequisite_is_reported_but_the_lesson_loads(tmp_path):
    write_lesson(tmp_path, "01_pre", manifest("pre", extra='prerequisites = ["ghost"]'))
    course = load_course(tmp_path)
    problem = only_problem(course)
    assert problem.field == "prerequisites" and "ghost" in problem.message
    assert [lesson.id for lesson in course.lessons] == ["pre"]


def test_several_broken_lessons_each_get_their_own_problem(tmp_path):
    good_lesson(tmp_path)
    write_lesson(tmp_path, "02_a", "not = [toml")
    write_lesson(tmp_path, "03_b", manifest("b").replace('chapter = "ch. 1"\n', ""))
    course = load_course(tmp_path)
    assert sorted(p.path.parent.name for p in course.problems) == ["02_a", "03_b"]
    assert [lesson.id for lesson in course.lessons] == ["good"]


def test_load_lesson_raises_manifest_error_with_field(tmp_path):
    from homl_tui.course import ManifestError

    broken = write_lesson(tmp_path, "01_x", manifest("x").replace("order = 1", 'order = "1"'))
    with pytest.raises(ManifestError) as info:
        load_lesson(broken)
    assert info.value.field == "order"


# ------------------------------------------------------------------ selection


@pytest.fixture
def two_lessons(tmp_path) -> Course:
    write_lesson(tmp_path, "01_alpha", manifest("alpha", order=1, exercises=("a1", "a2")),
                 exercises=("a1", "a2"))
    write_lesson(tmp_path, "02_beta", manifest("beta", order=2, exercises=("b1",)),
                 exercises=("b1",))
    course = load_course(tmp_path)
    assert course.problems == []
    return course


def test_select_nothing_gives_every_exercise_in_course_order(two_lessons):
    assert [e.key for e in two_lessons.select(None)] == ["alpha/a1", "alpha/a2", "beta/b1"]


def test_select_a_lesson_gives_its_exercises(two_lessons):
    assert [e.key for e in two_lessons.select("alpha")] == ["alpha/a1", "alpha/a2"]


def test_select_lesson_slash_exercise_gives_that_exercise(two_lessons):
    assert [e.key for e in two_lessons.select("alpha/a2")] == ["alpha/a2"]
    assert [e.key for e in two_lessons.select("beta/b1/")] == ["beta/b1"]


def test_select_unknown_lesson_raises_key_error_listing_known_lessons(two_lessons):
    with pytest.raises(KeyError) as info:
        two_lessons.select("gamma")
    message = info.value.args[0]
    assert "'gamma'" in message and "alpha" in message and "beta" in message


def test_select_unknown_exercise_raises_key_error_listing_the_lessons_exercises(two_lessons):
    with pytest.raises(KeyError) as info:
        two_lessons.select("alpha/zzz")
    message = info.value.args[0]
    assert "'zzz'" in message and "a1" in message and "a2" in message


def test_lesson_and_exercise_lookup_return_none_when_unknown(two_lessons):
    assert two_lessons.lesson("nope") is None
    assert two_lessons.lesson("alpha").exercise("nope") is None
    assert isinstance(two_lessons.lesson("alpha").exercise("a1"), Exercise)


# ----------------------------------------------------- text: references, words


def lesson_with_text(text: str) -> Lesson:
    return Lesson(id="t", title="T", part=1, chapter="", order=1, directory=Path("."), text=text)


def test_referenced_exercises_lists_markers_in_order():
    text = "Intro.\n\n::: exercise second\n\nMore.\n:::exercise  first  \n::: exercise second\n"
    assert lesson_with_text(text).referenced_exercises() == ["second", "first", "second"]


def test_marker_must_be_on_its_own_line():
    text = "Write `::: exercise inline` to place one.\n"
    assert lesson_with_text(text).referenced_exercises() == []


def test_fixture_lesson_places_its_exercise():
    lesson = load_course(FIXTURE_LESSONS).lesson("demo")
    assert lesson.referenced_exercises() == ["add"]


def test_word_count_counts_prose_words_and_skips_code_blocks():
    text = dedent("""
        # Two words

        It's three-word prose, x2.

        ```python
        these words are code and do not count
        ```
    """)
    # "Two words" + "It's three-word prose x" (x2 counts as the word "x")
    assert lesson_with_text(text).word_count() == 6
