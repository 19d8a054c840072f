"""Check train_worker by running it under torchrun, as the Run button does.

The check starts `python -m torch.distributed.run --standalone --nproc_per_node=2 RANK_MAIN OUT
2` (2 CPU processes, gloo backend, 2 epochs), with the event stream of the workers sent to a
temporary file. RANK_MAIN imports the learner's file and calls train_worker(OUT, 2), as the
file's own __main__ block does in a worker. Then it verifies:
- each rank saved its final state_dict to OUT/rank{r}.pt, and the two ranks agree;
- the weights equal those of ONE process trained by plain SGD on the same global batches
  (the union of the ranks' DistributedSampler shards, reshuffled with set_epoch), which the
  check computes itself from the file's make_data, make_model, LR, GLOBAL_BATCH and SEED;
- rank 0 streamed a decreasing loss at every step, and progress per epoch.
Tolerance 1e-4 (gloo sums float32 gradients in another order than a single process: the
reference solution matches it exactly here). When the weights do not match, the check compares
them with the usual mistakes (no set_epoch, loss divided by the world size) to name them.
On this 2-core machine the torchrun launch takes 8 to 12 s (three Python processes import
torch); the rest of the check takes well under a second. A rank leaves with os._exit once
train_worker returns, past the exit race of _EXIT_RACE; a launch that the race still spoils is
run once more.
"""

import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import torch
import torch.nn.functional as F
from torch.utils.data import DistributedSampler

from homl_tui.checks import NotAttempted, expect_decreasing, expect_true, fail, require_function

NPROC, EPOCHS, TIMEOUT_S, TOL = 2, 2, 75, 1e-4


# What the C++ runtime prints when a process exits while one of its threads still runs. Gloo
# can do that in a rank that finishes first, after its work is saved (seen with torch 2.13 on
# CPU, from about 1 launch in 100 to several in 100 on a loaded machine): not the learner's
# doing. torchrun then stops the other rank, which may not have saved its work yet.
_EXIT_RACE = "terminate called without an active exception"


def _launch(path, out):
    finished = _launch_once(path, out)
    if finished.returncode != 0 and _EXIT_RACE in (finished.stderr or ""):
        for leftover in Path(out).iterdir():  # _launch_once writes rank_main.py again
            shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
        finished = _launch_once(path, out)
        if finished.returncode != 0 and _EXIT_RACE in (finished.stderr or ""):
            fail("torchrun failed twice: a worker was aborted by the C++ runtime as it exited "
                 "(\"terminate called without an active exception\"). End train_worker with "
                 "dist.destroy_process_group() on every rank, after the last collective.")
    return finished


# Each rank runs this instead of the learner's __main__ block: it calls train_worker exactly
# as that block does, then leaves with os._exit, past the C++ teardown where gloo's exit
# race lives (see _EXIT_RACE). What a rank does is all in train_worker, which is checked.
_RANK_MAIN = """\
import importlib.util, os, sys
sys.path.insert(0, os.path.dirname({path!r}))
spec = importlib.util.spec_from_file_location("learner_ddp", {path!r})
learner = importlib.util.module_from_spec(spec)
spec.loader.exec_module(learner)
learner.train_worker(sys.argv[1], int(sys.argv[2]))
from homl_tui import report
report.flush()
sys.stdout.flush()
sys.stderr.flush()
os._exit(0)
"""


def _launch_once(path, out):
    rank_main = Path(out) / "rank_main.py"
    rank_main.write_text(_RANK_MAIN.format(path=str(Path(path).resolve())), encoding="utf-8")
    env = dict(os.environ)
    env.pop("HOML_TUI_EVENTS_FD", None)
    for var in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT"):
        env.pop(var, None)
    env["HOML_TUI_EVENTS_PATH"] = str(Path(out) / "events.jsonl")
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone",
               f"--nproc_per_node={NPROC}", str(rank_main), str(out), str(EPOCHS)]
    try:
        return subprocess.run(command, env=env, cwd=str(Path(path).parent), timeout=TIMEOUT_S,
                              capture_output=True, text=True, check=False)
    except subprocess.TimeoutExpired:
        fail(f"torchrun did not finish within {TIMEOUT_S} s. A distributed job hangs when one "
             "rank waits at a collective (the gradient all-reduce) that another rank never "
             "reaches: do all ranks run the same number of steps?")


def _events(out):
    path = Path(out) / "events.jsonl"
    if not path.is_file():
        return []
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return events


def _load(out, rank):
    path = Path(out) / f"rank{rank}.pt"
    expect_true(path.is_file(), f"Rank {rank} did not save its weights to out_dir/rank{rank}.pt: "
                "every rank should torch.save(model.state_dict(), Path(out_dir) / "
                "f\"rank{rank}.pt\") at the end of train_worker.")
    state = torch.load(path, map_location="cpu", weights_only=True)
    expect_true(isinstance(state, dict) and state,
                f"out_dir/rank{rank}.pt does not hold a state_dict: save model.state_dict().")
    return {k.removeprefix("module."): v.float() for k, v in state.items()}


def _simulate(learner, lr, set_epoch=True):
    """One process, plain SGD on the union of the ranks' batches of every step."""
    X, y = learner.make_data()
    model = learner.make_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    local = learner.GLOBAL_BATCH // NPROC
    samplers = [DistributedSampler(range(len(X)), num_replicas=NPROC, rank=r, shuffle=True,
                                   seed=learner.SEED) for r in range(NPROC)]
    steps = 0
    for epoch in range(EPOCHS):
        shards = []
        for s in samplers:
            s.set_epoch(epoch if set_epoch else 0)
            shards.append(list(iter(s)))
        for start in range(0, len(shards[0]), local):
            parts = [torch.tensor(sh[start:start + local]) for sh in shards]
            # DDP averages the ranks' mean losses; the parts have equal sizes.
            optimizer.zero_grad()
            loss = sum(F.cross_entropy(model(X[p]), y[p]) for p in parts) / NPROC
            loss.backward()
            optimizer.step()
            steps += 1
    return {k: v.detach().float() for k, v in model.state_dict().items()}, steps


def _gap(a, b):
    if set(a) != set(b):
        return math.inf
    return max((a[k] - b[k]).abs().max().item() if a[k].shape == b[k].shape else math.inf
               for k in a)


def check(learner, ctx):
    require_function(learner, "train_worker")
    for name in ("make_data", "make_model"):
        require_function(learner, name)
    for name in ("GLOBAL_BATCH", "LR", "SEED"):
        expect_true(hasattr(learner, name), f"Keep the constant {name} at the top of the file: "
                    "the check reads it.")
    expect_true(learner.GLOBAL_BATCH % NPROC == 0,
                f"GLOBAL_BATCH should be a multiple of the {NPROC} ranks of the check.")
    torch.set_grad_enabled(True)
    with tempfile.TemporaryDirectory() as out:
        finished = _launch(learner.__file__, out)
        if finished.returncode != 0:
            errors = finished.stderr or ""
            if "NotImplementedError" in errors:
                raise NotAttempted("train_worker still raises NotImplementedError in the "
                                   "workers: replace the TODO placeholder with your code.")
            lines = [ln for ln in errors.splitlines()
                     if ln.strip() and "torch/distributed" not in ln and "*****" not in ln]
            tail = "\n".join(lines[-8:])
            fail("torchrun failed: a worker raised an error. The last lines it printed:\n"
                 + tail)
        states = [_load(out, r) for r in range(NPROC)]
        events = _events(out)

    ctx.reseed()
    want, steps = _simulate(learner, learner.LR)
    losses = [float(e["values"]["loss"]) for e in events
              if e.get("kind") == "metric" and "loss" in e.get("values", {})]
    if len(losses) == 2 * steps:
        fail(f"Rank 0 ran {len(losses)} steps in {EPOCHS} epochs, twice as many as it should: "
             "each rank went through the WHOLE dataset. Give the DataLoader a "
             "DistributedSampler, so every rank reads only its own shard.")

    rank_gap = _gap(states[0], states[1])
    if rank_gap == math.inf:
        fail("The two ranks saved state_dicts with different keys or shapes: save "
             "model.state_dict() of the same model on every rank.")
    if rank_gap > TOL:
        fail(f"The two ranks ended with different weights (up to {rank_gap:.2g} apart): their "
             "gradients were never averaged. Wrap the model in DistributedDataParallel and call "
             "the wrapped model in the training loop; its backward() all-reduces the gradients.")

    gap = _gap(states[0], want)
    if gap == math.inf:
        fail("The saved state_dict does not have the keys and shapes of make_model(): save the "
             "model built by make_model() (model.state_dict(), or ddp_model.module.state_dict()).")
    if gap > TOL:
        if _gap(states[0], _simulate(learner, learner.LR, set_epoch=False)[0]) <= TOL:
            fail("The weights match training where every epoch reads the data in the same "
                 "order: call sampler.set_epoch(epoch) at the start of every epoch, or "
                 "DistributedSampler reuses the first epoch's shuffle forever.")
        if _gap(states[0], _simulate(learner, learner.LR / NPROC)[0]) <= TOL:
            fail(f"The updates are {NPROC} times too small, as if the loss or the learning rate "
                 "had been divided by the world size. DDP already AVERAGES the gradients over "
                 "the ranks (it does not sum them): keep the plain mean loss on each rank.")
        fail(f"The final weights differ (by up to {gap:.2g}) from one process trained with SGD "
             "on the same global batches. Check the sampler (shuffle=True, seed=SEED), the "
             "per-rank batch size GLOBAL_BATCH // world, the loss (cross-entropy) and lr=LR.")

    expect_true(losses, "Rank 0 never called report.metric with a value named `loss`: call "
                "report.metric(step=step, loss=loss.item()) at every step, on rank 0.")
    expect_true(len(losses) == steps,
                f"Rank 0 sent the loss {len(losses)} time(s) during {steps} steps: call "
                "report.metric once per step.")
    expect_decreasing("the loss streamed by rank 0", losses, window=4)
    progress = [e for e in events if e.get("kind") == "progress"]
    expect_true(progress and float(progress[-1]["done"]) == float(progress[-1]["total"]),
                "Call report.progress(epoch + 1, epochs) at the end of every epoch on rank 0.")
