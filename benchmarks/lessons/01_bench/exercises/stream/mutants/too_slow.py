"""About 10,000 metric events a second, then known final values: the workload of
benchmarks/streaming.py.

Each ``report.metric`` call sends one event; the names in ``NAMES`` take turns. After the
stream, every name gets its value from ``FINAL`` (a value the stream itself never sends), so
a reader can tell whether the last event of each metric arrived. ``HOML_BENCH_SECONDS``
(default 5) and ``HOML_BENCH_RATE`` (default 10000) set the length and the rate.
"""

import math
import os
import time

from homl_tui import report

NAMES = ("loss", "val_loss", "acc", "lr")
FINAL = {"loss": 7.25, "val_loss": 8.5, "acc": 9.75, "lr": 11.0}


def stream(seconds=5.0, rate=10_000):
    """Send ``rate`` metric events a second for ``seconds``, then FINAL; return events sent."""
    total = int(seconds * rate)
    start = time.perf_counter()
    sent = 0
    while sent < total:
        due = min(total, int((time.perf_counter() - start) * rate) + 1)
        while sent < due:
            step, name = divmod(sent, len(NAMES))
            report.metric(step=step, **{NAMES[name]: math.sin(step / 100 + name)})
            sent += 1
            time.sleep(0.001)
        time.sleep(0.001)
    last = -(-sent // len(NAMES))
    for name in NAMES:
        report.metric(step=last, **{name: FINAL[name]})
    return sent + len(NAMES)


if __name__ == "__main__":
    seconds = float(os.environ.get("HOML_BENCH_SECONDS", "5"))
    rate = float(os.environ.get("HOML_BENCH_RATE", "10000"))
    started = time.perf_counter()
    sent = stream(seconds, rate)
    elapsed = time.perf_counter() - started
    print(f"sent {sent} events in {elapsed:.2f} s ({sent / elapsed:.0f} events/s)", flush=True)
