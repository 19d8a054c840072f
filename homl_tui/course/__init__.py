"""The course: lessons as data, discovered and validated from ``lessons/``."""

from homl_tui.course.loader import ManifestError, load_course, load_lesson
from homl_tui.course.model import Budget, Course, Exercise, Lesson, Mutant, Problem

__all__ = [
    "Budget",
    "Course",
    "Exercise",
    "Lesson",
    "ManifestError",
    "Mutant",
    "Problem",
    "load_course",
    "load_lesson",
]
