"""Mutant: no DistributedSampler: every rank shuffles and reads the whole dataset.

DistributedDataParallel with torchrun: two processes train one model together.

This file is both the launcher and the worker. Run it normally and its __main__ block starts
`python -m torch.distributed.run --standalone --nproc_per_node=2 this_file.py OUT_DIR EPOCHS`;
torchrun then starts this same file twice more, with RANK, WORLD_SIZE, MASTER_ADDR, ... set,
and each copy calls train_worker.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, TensorDataset

from homl_tui import report

WORLD_SIZE = 2      # processes torchrun starts
GLOBAL_BATCH = 32   # examples per optimizer step, all ranks together
EPOCHS = 3
LR = 0.5
SEED = 0


# ---- Done for you: the data, the model and the backend. ----

def make_data(n=256):
    """A seeded 3-class problem: every rank builds exactly the same tensors."""
    g = torch.Generator().manual_seed(1234)
    X = torch.randn(n, 8, generator=g)
    y = (X @ torch.randn(8, 3, generator=g)).argmax(dim=1)
    return X, y


def make_model():
    """The same initial weights in every process (DDP also copies rank 0's to the others)."""
    torch.manual_seed(SEED)
    return nn.Sequential(nn.Linear(8, 32), nn.Tanh(), nn.Linear(32, 3))


def pick_backend(world_size=WORLD_SIZE):
    """NCCL when every rank can have its own GPU, gloo (CPU) otherwise."""
    if torch.cuda.is_available() and torch.cuda.device_count() >= world_size:
        return "nccl"
    return "gloo"


# ---- Your part: what each of the processes does. ----

def train_worker(out_dir, epochs=EPOCHS):
    """Train make_model() on make_data() with DDP; save this rank's final weights.

    Runs in every process torchrun starts. Each rank reads its own shard of the data
    (DistributedSampler, reshuffled every epoch), with GLOBAL_BATCH // world_size examples per
    step, so that one step of all ranks together sees GLOBAL_BATCH examples. Rank 0 streams
    the loss with report.metric at every step. At the end every rank saves the state_dict of
    the wrapped model to out_dir/rank{rank}.pt.
    """
    backend = pick_backend()
    dist.init_process_group(backend)  # reads RANK, WORLD_SIZE, MASTER_ADDR/PORT from torchrun
    rank, world = dist.get_rank(), dist.get_world_size()
    if backend == "nccl":
        device = torch.device("cuda", int(os.environ["LOCAL_RANK"]))
        torch.cuda.set_device(device)
    else:
        device = torch.device("cpu")

    X, y = make_data()
    dataset = TensorDataset(X, y)
    loader = DataLoader(dataset, batch_size=GLOBAL_BATCH // world, shuffle=True)
    model = make_model().to(device)
    ddp_model = DDP(model, device_ids=[device.index] if device.type == "cuda" else None)
    optimizer = torch.optim.SGD(ddp_model.parameters(), lr=LR)

    step, seen, start = 0, 0, time.perf_counter()
    for epoch in range(epochs):
        for X_batch, y_batch in loader:
            X_batch, y_batch = X_batch.to(device), y_batch.to(device)
            optimizer.zero_grad()
            loss = F.cross_entropy(ddp_model(X_batch), y_batch)
            loss.backward()  # DDP averages the gradients over the ranks during backward
            optimizer.step()
            seen += len(X_batch)
            if rank == 0:
                report.metric(step=step, loss=loss.item())
            step += 1
        if rank == 0:
            report.progress(epoch + 1, epochs)

    rate = seen / (time.perf_counter() - start)
    rates = [None] * world
    dist.all_gather_object(rates, rate)  # every rank gets every rank's throughput
    torch.save(model.state_dict(), Path(out_dir) / f"rank{rank}.pt")
    if rank == 0:
        print(f"{world} ranks, {step} steps of {GLOBAL_BATCH} examples, last loss {loss.item():.3f}")
        report.plot("throughput", rates, [f"rank {r}" for r in range(world)], kind="bar",
                    title="examples per second on each rank", ylabel="examples / s")
    dist.destroy_process_group()


# ---- Done for you: the launcher. ----

def launch(out_dir, epochs=EPOCHS, nproc=WORLD_SIZE, timeout=120):
    """Start nproc copies of this file with torchrun; return the finished process."""
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone",
               f"--nproc_per_node={nproc}", __file__, str(out_dir), str(epochs)]
    return subprocess.run(command, timeout=timeout, check=False)


if __name__ == "__main__":
    if "RANK" in os.environ:  # we are one of the workers torchrun started
        train_worker(sys.argv[1], int(sys.argv[2]))
    else:
        with tempfile.TemporaryDirectory() as out:
            finished = launch(out)
            if finished.returncode != 0:
                raise SystemExit("torchrun failed: read the workers' errors above.")
            states = [torch.load(Path(out) / f"rank{r}.pt") for r in range(WORLD_SIZE)]
        gap = max((states[0][k] - s[k]).abs().max().item() for s in states[1:] for k in states[0])
        print(f"largest difference between the ranks' final weights: {gap:.1e}")
        model = make_model()
        model.load_state_dict(states[0])
        X, y = make_data()
        with torch.no_grad():
            accuracy = (model(X).argmax(dim=1) == y).float().mean().item()
        print(f"training accuracy of the DDP model: {accuracy:.1%}")
