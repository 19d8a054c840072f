"""Mutant: gives each rank a contiguous block of the shuffled list instead of dealing it out.

Sharding a dataset across ranks, the way torch's DistributedSampler does it."""

import math

import torch

from homl_tui import report


def shard_indices(n, num_replicas, rank, epoch, seed=0):
    """The indices of the n examples that process `rank` (of `num_replicas`) reads in `epoch`.

    - Shuffle 0..n-1 with a torch.Generator seeded with seed + epoch: every rank draws the SAME
      permutation, and it changes from one epoch to the next.
    - Pad the permutation with its own first entries up to total = ceil(n / num_replicas)
      * num_replicas, so that every rank gets the same number of examples.
    - Deal the padded list out like cards: rank r takes the entries r, r + R, r + 2R, ...
    Return a list of Python ints of length ceil(n / num_replicas).
    """
    per_rank = math.ceil(n / num_replicas)
    total = per_rank * num_replicas
    g = torch.Generator().manual_seed(seed + epoch)
    order = torch.randperm(n, generator=g).tolist()
    order += order[: total - n]
    return order[rank * per_rank:(rank + 1) * per_rank]


if __name__ == "__main__":
    n, world = 10, 4
    for epoch in range(2):
        print(f"epoch {epoch}:")
        for rank in range(world):
            print(f"  rank {rank} reads {shard_indices(n, world, rank, epoch)}")
    # How often each example is read in one epoch: padding repeats a few of them once more.
    counts = [0] * n
    for rank in range(world):
        for i in shard_indices(n, world, rank, epoch=0):
            counts[i] += 1
    print("reads per example (epoch 0):", counts)
    report.plot("reads", counts, [str(i) for i in range(n)], kind="bar",
                title=f"how many times each of {n} examples is read by {world} ranks (epoch 0)")
