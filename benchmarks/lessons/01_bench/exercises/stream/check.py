import time

from homl_tui import report
from homl_tui.checks import expect_at_least, fail, require_function

RATE, SECONDS = 2000, 0.25


def check(learner, ctx):
    stream = require_function(learner, "stream")
    with report.capture() as events:
        started = time.perf_counter()
        stream(seconds=SECONDS, rate=RATE)
        elapsed = time.perf_counter() - started
    metrics = [e for e in events if e["kind"] == "metric"]
    # The reference keeps the rate within a few per cent; 0.6 leaves room for a busy machine.
    expect_at_least(f"metric events per second of stream({SECONDS}, {RATE})",
                    len(metrics) / elapsed, 0.6 * RATE, fmt=".0f")
    last = {}
    for event in metrics:
        last.update(event["values"])
    for name, value in ctx.reference.FINAL.items():
        if last.get(name) != value:
            fail(f"The final value of `{name}` was not sent last: send FINAL after the loop.")
