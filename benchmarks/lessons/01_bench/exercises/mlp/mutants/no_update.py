"""A small MLP trained on random data (CPU, batch 64): the workload of benchmarks/overhead.py.

``python solution.py`` trains it and prints ``samples_per_s: X``, measured inside the loop
after a warm-up (process start and imports excluded), and ``cpu_samples_per_s``: the same per
second of CPU time this process used (less sensitive to other programs taking the core). The
loss is reported every step and the progress every epoch; under plain ``python`` those calls
do nothing. ``HOML_BENCH_STEPS`` sets the number of steps (default 3000); torch uses
``OMP_NUM_THREADS`` threads when it is set.
"""

import os
import time

import torch
from torch import nn

from homl_tui import report

FEATURES, HIDDEN, CLASSES, BATCH = 64, 256, 10, 64
BATCHES_PER_EPOCH = 100
WARMUP = 100


def make_data(seed=0):
    """Random inputs labelled by a random linear teacher (so there is something to learn)."""
    generator = torch.Generator().manual_seed(seed)
    X = torch.randn(BATCH * BATCHES_PER_EPOCH, FEATURES, generator=generator)
    teacher = torch.randn(FEATURES, CLASSES, generator=generator)
    return X, (X @ teacher).argmax(dim=1)


def train(steps=3000, lr=0.05, seed=0, timer=None):
    """Train for ``steps`` batches; return the last loss. ``timer`` gets start/stop times."""
    torch.manual_seed(seed)
    X, y = make_data(seed)
    model = nn.Sequential(nn.Linear(FEATURES, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, HIDDEN),
                          nn.ReLU(), nn.Linear(HIDDEN, CLASSES))
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    epochs = -(-steps // BATCHES_PER_EPOCH)
    loss = torch.tensor(float("nan"))
    for step in range(steps):
        if timer is not None and step == min(WARMUP, steps - 1):
            timer["start"], timer["cpu_start"] = time.perf_counter(), time.process_time()
        i = step % BATCHES_PER_EPOCH
        xb, yb = X[i * BATCH:(i + 1) * BATCH], y[i * BATCH:(i + 1) * BATCH]
        loss = loss_fn(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        report.metric(step=step, loss=loss.item())
        if i == BATCHES_PER_EPOCH - 1:
            report.progress(step // BATCHES_PER_EPOCH + 1, epochs)
    if timer is not None:
        timer["stop"], timer["cpu_stop"] = time.perf_counter(), time.process_time()
    return loss.item()


if __name__ == "__main__":
    if os.environ.get("OMP_NUM_THREADS"):
        torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
    steps = int(os.environ.get("HOML_BENCH_STEPS", "3000"))
    timer = {}
    final = train(steps, timer=timer)
    timed_steps = steps - min(WARMUP, steps - 1)
    samples = timed_steps * BATCH
    print(f"final loss {final:.4f}, {torch.get_num_threads()} thread(s)")
    print(f"cpu_samples_per_s: {samples / (timer['cpu_stop'] - timer['cpu_start']):.1f}")
    print(f"samples_per_s: {samples / (timer['stop'] - timer['start']):.1f}", flush=True)
