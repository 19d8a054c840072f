"""The catalog screen and the app's start-up: lessons in order, progress, store problems."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from homl_tui.store import Store
from homl_tui.ui.screens.catalog import CatalogScreen
from homl_tui.ui.screens.lesson import LessonScreen
from homl_tui.ui.widgets.lesson_list import LessonList

from .conftest import LESSONS, wait_for

pytestmark = pytest.mark.anyio


async def test_catalog_lists_parts_then_lessons_in_course_order(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CatalogScreen)
        options = app.screen.query_one(LessonList).options
        assert [o.id for o in options] == ["part:1", "demo", "part:2", "stream"]
        assert "Part I" in str(options[0].prompt) and "Part II" in str(options[2].prompt)
        assert "test fixture" in str(options[1].prompt) and "0/1" in str(options[1].prompt)


async def test_catalog_marks_a_lesson_whose_exercises_all_passed(make_app, data_dir: Path) -> None:
    store = Store(data_dir / "homl.sqlite3")
    store.record_attempt("demo/add", "PASS")
    store.close()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        demo = app.screen.query_one(LessonList).get_option("demo")
        assert "1/1 ✔" in str(demo.prompt)


async def test_enter_opens_the_highlighted_lesson(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen), what="lesson")
        assert app.screen.lesson.id == "stream"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CatalogScreen), what="catalog")


async def test_lesson_problems_are_shown_as_a_warning(make_app, tmp_path: Path) -> None:
    lessons = tmp_path / "lessons"
    shutil.copytree(LESSONS, lessons)
    broken = lessons / "09_broken"
    broken.mkdir()
    (broken / "lesson.toml").write_text('id = "broken"\ntitle = 3\n', encoding="utf-8")
    app = make_app(lessons)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        warning = str(app.screen.query_one("#problems").render())
        assert "1 lesson problem" in warning and "09_broken" in warning


async def test_a_store_that_cannot_be_opened_leaves_the_app_usable(
    make_app, tmp_path: Path
) -> None:
    data = tmp_path / "blocked"
    (data / "homl.sqlite3").mkdir(parents=True)  # a folder where the database file should be
    app = make_app(data=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.context.store is None
        assert any("will not be saved" in n.message for n in app._notifications)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen), what="lesson")


async def test_a_corrupt_store_is_moved_aside_with_a_notification(make_app, data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "homl.sqlite3").write_bytes(b"this is not a database" * 100)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.context.store is not None
        assert any("moved aside" in n.message for n in app._notifications)


async def test_command_palette_opens_an_exercise(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"gradient descent")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen), what="lesson")
        assert app.screen.exercise is not None and app.screen.exercise.key == "stream/descend"
