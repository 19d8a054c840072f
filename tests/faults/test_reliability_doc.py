"""docs/reliability.md lists exactly the faults this suite injects, each with its test."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import FAULT_AREAS, RELIABILITY_DOC, TABLE_BEGIN, TABLE_END

HERE = Path(__file__).resolve().parent


def declared_faults() -> set[tuple[str, str, str]]:
    """(area, fault, test name) of every ``@pytest.mark.fault(area, name)`` in this folder."""
    found = set()
    for path in HERE.glob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for decorator in node.decorator_list:
                if (isinstance(decorator, ast.Call)
                        and ast.unparse(decorator.func) == "pytest.mark.fault"):
                    area, name = (ast.literal_eval(arg) for arg in decorator.args)
                    found.add((area, name, node.name))
    return found


def documented_faults() -> set[tuple[str, str, str]]:
    text = RELIABILITY_DOC.read_text(encoding="utf-8")
    table = text.split(TABLE_BEGIN, 1)[1].split(TABLE_END, 1)[0]
    rows = set()
    lines = [line for line in table.splitlines() if line.startswith("|")]
    for line in lines[2:]:  # after the header and its --- row
        cells = [cell.strip().replace("\\|", "|")
                 for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
        if len(cells) == 4:
            rows.add((cells[0], cells[1], cells[3].strip("`")))
    return rows


def test_every_fault_test_is_in_the_table_and_every_row_has_its_test() -> None:
    declared, documented = declared_faults(), documented_faults()
    assert declared, "no fault tests found"
    missing = sorted(declared - documented)
    stale = sorted(documented - declared)
    assert not missing and not stale, (
        f"docs/reliability.md is out of date; run `pytest tests/faults -n 0 --reliability-doc`.\n"
        f"not in the table: {missing}\nno such test: {stale}")


def test_every_fault_belongs_to_a_known_area() -> None:
    assert {area for area, _, _ in declared_faults()} <= set(FAULT_AREAS)
