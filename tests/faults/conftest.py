"""The fault-injection suite: each test injects one fault and records what the learner saw.

Mark a test ``@pytest.mark.fault("Learner code", "an infinite loop")`` and have it call
``seen("TIMEOUT: Stopped after 2 s, ...")`` with the message it observed (in the UI or
headless). ``pytest tests/faults -n 0 --reliability-doc`` rewrites the table in
docs/reliability.md from what the tests saw; ``test_reliability_doc.py`` checks that the
table and the tests name the same faults.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # noqa: ARG001
    """Keep each phase's report on the test, so ``seen`` knows whether the test passed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def seen(request: pytest.FixtureRequest) -> Iterator[Callable[[str], None]]:
    """Record what the learner saw of the fault (required once per fault test)."""
    marker = request.node.get_closest_marker("fault")
    assert marker is not None and len(marker.args) == 2, \
        "a fault test needs @pytest.mark.fault(area, name)"
    area, name = marker.args
    texts: list[str] = []
    yield texts.append
    call = getattr(request.node, "rep_call", None)
    if call is None or not call.passed:
        return  # the test's own failure says what went wrong
    assert texts, f"the fault test for {name!r} did not record what the learner saw"
    test = request.node.nodeid.split("::")[-1]
    request.config.fault_outcomes[(area, name)] = (" / ".join(texts), test)  # type: ignore[attr-defined]
