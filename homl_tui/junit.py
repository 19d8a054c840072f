"""Write JUnit XML for CI systems from a batch of finished jobs.

Messages come from learner code and may hold anything: characters XML 1.0 cannot carry
(control characters such as an ANSI escape, lone surrogates) are written as U+FFFD, so
the report always parses.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from homl_tui.outcome import Outcome

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` with every character XML 1.0 cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def write_junit(path: Path, name: str, jobs: Sequence[Any],
                judge: Callable[[Any], Any] | None = None) -> None:
    """One ``testsuite`` per lesson, one ``testcase`` per job.

    Without ``judge`` a job passes when its outcome is PASS; with it, when
    ``judge(job)`` returns nothing (the lint rule).
    """
    root = ET.Element("testsuites", name=name)
    suites: dict[str, ET.Element] = {}
    counts: dict[str, list[int]] = {}
    for job in jobs:
        lesson = job.exercise.lesson_id
        if lesson not in suites:
            suites[lesson] = ET.SubElement(root, "testsuite", name=lesson)
            counts[lesson] = [0, 0, 0]
        result = job.result
        case = ET.SubElement(suites[lesson], "testcase", classname=lesson,
                             name=f"{job.exercise.id}[{job.role}]",
                             time=f"{result.duration_s:.3f}" if result else "0")
        counts[lesson][0] += 1
        if judge is not None:
            finding = judge(job)
            if finding:
                message = xml_text(finding.message)
                ET.SubElement(case, "failure", message=message).text = message
                counts[lesson][1] += 1
            continue
        if result is None or result.outcome is Outcome.PASS:
            continue
        tag = "error" if result.outcome in (Outcome.ERROR, Outcome.TIMEOUT) else "failure"
        node = ET.SubElement(case, tag, message=xml_text(result.message),
                             type=result.outcome.value if result.outcome else "")
        node.text = xml_text("\n".join(x for x in (result.message, result.details) if x))
        counts[lesson][1 if tag == "failure" else 2] += 1
    for lesson, suite in suites.items():
        tests, failures, errors = counts[lesson]
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", str(errors))
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
