"""DistributedDataParallel with torchrun: two processes train one model together.

This file is both the launcher and the worker. Run it normally and its __main__ block starts
`python -m torch.distributed.run --standalone --nproc_per_node=2 this_file.py OUT_DIR EPOCHS`;
torchrun then starts this same file twice more, with RANK, WORLD_SIZE, MASTER_ADDR, ... set,
and each copy calls train_worker.

Run this file to train with 2 processes and compare their final weights; Check to compare
the result with single-process training on the same batches.
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
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

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
    # TODO 1: dist.init_process_group(backend) (torchrun's environment variables tell it the
    #         rank, the world size and where to meet); then rank = dist.get_rank() and
    #         world = dist.get_world_size(). Device: torch.device("cpu") for gloo; for nccl,
    #         torch.device("cuda", int(os.environ["LOCAL_RANK"])) and torch.cuda.set_device.
    # TODO 2: the data: X, y = make_data(); dataset = TensorDataset(X, y);
    #         a DistributedSampler(dataset, num_replicas=world, rank=rank, shuffle=True,
    #         seed=SEED) and a DataLoader with batch_size=GLOBAL_BATCH // world and that sampler.
    # TODO 3: model = make_model().to(device), wrapped in DDP (device_ids=[device.index] on a
    #         GPU, None on the CPU), and torch.optim.SGD over its parameters with lr=LR.
    # TODO 4: for every epoch: sampler.set_epoch(epoch); for every batch: zero_grad,
    #         cross-entropy of the DDP model's output, backward, step. On rank 0 only:
    #         report.metric(step=step, loss=loss.item()) at every step and
    #         report.progress(epoch + 1, epochs) at the end of every epoch.
    # TODO 5: every rank saves model.state_dict() (the unwrapped model) to
    #         Path(out_dir) / f"rank{rank}.pt"; then dist.destroy_process_group().
    # Optional: time the loop, gather every rank's examples/s with dist.all_gather_object and
    #         plot them from rank 0 with report.plot(..., kind="bar").
    raise NotImplementedError("train_worker: fill in the TODOs")

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
