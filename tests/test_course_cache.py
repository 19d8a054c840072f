"""The course cache (homl_tui.course.cache): used while the lesson files are unchanged, never trusted
beyond that, and never a reason to fail."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import FIXTURE_LESSONS

from homl_tui.course import cache, load_course
from homl_tui.paths import default_lessons_dir

AN_HOUR_AGO = time.time() - 3600


def settle(root: Path) -> None:
    """Date every file and folder under ``root`` an hour back, as for a course not just edited."""
    for path in sorted(root.rglob("*"), reverse=True):
        os.utime(path, (AN_HOUR_AGO, AN_HOUR_AGO))
    os.utime(root, (AN_HOUR_AGO, AN_HOUR_AGO))


@pytest.fixture
def lessons(tmp_path: Path) -> Path:
    """A settled copy of the fixture course (lessons ``demo`` and ``stream``)."""
    root = tmp_path / "lessons"
    shutil.copytree(FIXTURE_LESSONS, root)
    settle(root)
    return root


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def cached(cache_dir: Path, root: Path) -> bool:
    return cache.read(cache_dir, root) is not None


def rewrite_cached_title(cache_dir: Path, root: Path, title: str) -> None:
    """Change the first lesson's title inside the cache file only (to see where a load came from)."""
    path = cache.cache_file(cache_dir, root)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["course"]["lessons"][0]["title"] = title
    path.write_text(json.dumps(data), encoding="utf-8")


def test_a_load_with_a_cache_folder_caches_the_course(lessons: Path, cache_dir: Path) -> None:
    load_course(lessons, cache_dir)
    assert cached(cache_dir, lessons)


def test_the_next_load_comes_from_the_cache_while_files_are_unchanged(
    lessons: Path, cache_dir: Path
) -> None:
    load_course(lessons, cache_dir)
    rewrite_cached_title(cache_dir, lessons, "From the cache")
    assert load_course(lessons, cache_dir).lessons[0].title == "From the cache"


def test_a_cached_course_equals_a_cold_load(lessons: Path, cache_dir: Path) -> None:
    load_course(lessons, cache_dir)
    assert cache.read(cache_dir, lessons) == load_course(lessons)


def test_the_bundled_course_loads_the_same_from_the_cache(tmp_path: Path, cache_dir: Path) -> None:
    root = tmp_path / "course"
    shutil.copytree(default_lessons_dir(), root)
    settle(root)
    cold = load_course(root, cache_dir)
    assert cold.lessons and cold.problems == []
    from_cache = cache.read(cache_dir, root)
    assert from_cache == cold
    assert [m.path for e in from_cache.exercises() for m in e.mutants] == [
        m.path for e in cold.exercises() for m in e.mutants
    ]


def test_editing_a_manifest_invalidates_the_cache(lessons: Path, cache_dir: Path) -> None:
    load_course(lessons, cache_dir)
    manifest = lessons / "01_demo" / "lesson.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("A demo lesson", "A demo lessoN"), encoding="utf-8")
    assert not cached(cache_dir, lessons)
    assert load_course(lessons, cache_dir).lesson("demo").title == "A demo lessoN"


def test_editing_a_lesson_text_invalidates_the_cache(lessons: Path, cache_dir: Path) -> None:
    load_course(lessons, cache_dir)
    (lessons / "01_demo" / "lesson.md").write_text("# Rewritten\n", encoding="utf-8")
    assert load_course(lessons, cache_dir).lesson("demo").text == "# Rewritten\n"


def test_adding_a_lesson_invalidates_the_cache(lessons: Path, cache_dir: Path) -> None:
    load_course(lessons, cache_dir)
    copy = lessons / "03_copy"
    shutil.copytree(lessons / "01_demo", copy)
    manifest = copy / "lesson.toml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace('id = "demo"', 'id = "copy"'),
        encoding="utf-8",
    )
    assert "copy" in [lesson.id for lesson in load_course(lessons, cache_dir).lessons]


def test_adding_a_manifest_to_a_folder_without_one_invalidates_the_cache(
    lessons: Path, cache_dir: Path
) -> None:
    draft = lessons / "03_draft"
    shutil.copytree(lessons / "01_demo", draft)
    manifest = (draft / "lesson.toml").read_text(encoding="utf-8")
    (draft / "lesson.toml").unlink()
    settle(lessons)
    load_course(lessons, cache_dir)
    assert cached(cache_dir, lessons)
    (draft / "lesson.toml").write_text(manifest.replace('id = "demo"', 'id = "draft"'),
                                       encoding="utf-8")
    assert load_course(lessons, cache_dir).lesson("draft") is not None


def test_removing_a_lesson_invalidates_the_cache(lessons: Path, cache_dir: Path) -> None:
    load_course(lessons, cache_dir)
    shutil.rmtree(lessons / "02_stream")
    assert [lesson.id for lesson in load_course(lessons, cache_dir).lessons] == ["demo"]


def test_removing_a_mutant_file_brings_back_its_problem(lessons: Path, cache_dir: Path) -> None:
    load_course(lessons, cache_dir)
    (lessons / "01_demo" / "exercises" / "add" / "mutants" / "subtract.py").unlink()
    course = load_course(lessons, cache_dir)
    assert course.lesson("demo") is None
    assert [p.field for p in course.problems] == ["exercises.add.mutants[0].file"]


def test_a_course_with_problems_is_not_cached_and_reports_them_each_time(
    lessons: Path, cache_dir: Path
) -> None:
    broken = lessons / "09_broken"
    broken.mkdir()
    (broken / "lesson.toml").write_text('id = "broken"\ntitle = 3\n', encoding="utf-8")
    settle(lessons)
    first = load_course(lessons, cache_dir)
    assert first.problems and not cached(cache_dir, lessons)
    assert load_course(lessons, cache_dir).problems == first.problems


def test_a_course_edited_seconds_ago_is_not_cached_until_it_settles(
    lessons: Path, cache_dir: Path
) -> None:
    (lessons / "01_demo" / "lesson.md").write_text("# Just saved\n", encoding="utf-8")
    load_course(lessons, cache_dir)
    assert not cached(cache_dir, lessons)
    settle(lessons)
    load_course(lessons, cache_dir)
    assert cached(cache_dir, lessons)


def test_a_change_to_the_loader_code_invalidates_the_cache(
    lessons: Path, cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = tmp_path / "loader.py"
    code.write_text("# version 1\n", encoding="utf-8")
    monkeypatch.setattr(cache, "CODE_FILES", (code,))
    load_course(lessons, cache_dir)
    assert cached(cache_dir, lessons)
    code.write_text("# version 2, longer\n", encoding="utf-8")
    assert not cached(cache_dir, lessons)


@pytest.mark.parametrize(
    "content",
    [b"", b'{"format": 1, "root": "', b"\xff\xfe not json", b"[]", b'{"format": 1}', b"null"],
    ids=["empty", "truncated", "binary", "a list", "missing keys", "null"],
)
def test_a_corrupt_cache_is_ignored(lessons: Path, cache_dir: Path, content: bytes) -> None:
    cache_dir.mkdir()
    cache.cache_file(cache_dir, lessons).write_bytes(content)
    assert load_course(lessons, cache_dir) == load_course(lessons)


def test_a_cache_that_does_not_fit_the_course_model_is_ignored(
    lessons: Path, cache_dir: Path
) -> None:
    load_course(lessons, cache_dir)
    path = cache.cache_file(cache_dir, lessons)
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["course"]["lessons"][0]["exercises"][0]["hints"]
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load_course(lessons, cache_dir) == load_course(lessons)


def test_a_corrupt_cache_is_replaced_by_a_good_one(lessons: Path, cache_dir: Path) -> None:
    cache_dir.mkdir()
    cache.cache_file(cache_dir, lessons).write_bytes(b"garbage")
    load_course(lessons, cache_dir)
    assert cached(cache_dir, lessons)


def test_a_cache_that_cannot_be_written_only_means_cold_loads(
    lessons: Path, tmp_path: Path
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    assert load_course(lessons, blocked) == load_course(lessons)


def test_each_lessons_folder_has_its_own_cache(lessons: Path, cache_dir: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(lessons, other)
    shutil.rmtree(other / "02_stream")
    settle(other)
    load_course(lessons, cache_dir)
    load_course(other, cache_dir)
    assert [lesson.id for lesson in load_course(lessons, cache_dir).lessons] == ["demo", "stream"]
    assert [lesson.id for lesson in load_course(other, cache_dir).lessons] == ["demo"]
