"""Matrix products on every thread torch is given, reporting each one: the workload of
benchmarks/responsiveness.py.

Under homl-tui torch gets the run's thread cap (every core but one). ``HOML_BENCH_SECONDS``
(default 10) sets how long it spins.
"""

import os
import time

import torch

from homl_tui import report


def spin(seconds=10.0, size=256):
    """Multiply ``size`` x ``size`` matrices for ``seconds``, reporting each; return how many."""
    generator = torch.Generator().manual_seed(0)
    a = torch.randn(size, size, generator=generator)
    b = torch.randn(size, size, generator=generator)
    deadline = time.monotonic() + seconds
    step = 0
    while time.monotonic() < deadline:
        a = a @ b
        norm = a.norm()
        report.metric(step=step, norm=float(norm), trace=float(a.trace()))
        step += 1
    return step


if __name__ == "__main__":
    seconds = float(os.environ.get("HOML_BENCH_SECONDS", "10"))
    print(f"{spin(seconds)} products on {torch.get_num_threads()} thread(s)", flush=True)
