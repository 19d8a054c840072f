"""Check shard_indices: equal-length shards that cover every example, the same permutation on
every rank, a new order every epoch, and exactly the indices of torch's DistributedSampler
(shuffle=True, drop_last=False) for several dataset sizes, world sizes, seeds and epochs.

The property tests run first so that a wrong answer gets a message naming the mistake; the
comparison with DistributedSampler comes last. No randomness beyond the seeds passed in.
"""

import math

from torch.utils.data import DistributedSampler

from homl_tui.checks import expect_true, fail, require_function

CASES = [(10, 4), (64, 2), (37, 3), (5, 5), (101, 8), (7, 3)]


def _as_ints(value, where):
    if hasattr(value, "tolist"):
        value = value.tolist()
    try:
        out = [int(v) for v in value]
    except (TypeError, ValueError):
        fail(f"{where}: shard_indices should return a list of ints; it returned a "
             f"{type(value).__name__}.")
    if any(float(v) != o for v, o in zip(value, out, strict=True)):
        fail(f"{where}: the returned indices are not whole numbers.")
    return out


def _shards(fn, n, world, epoch, seed):
    return [_as_ints(fn(n, world, rank, epoch, seed),
                     f"With n={n}, num_replicas={world}, rank={rank}, epoch={epoch}")
            for rank in range(world)]


def _sampler(n, world, rank, epoch, seed):
    s = DistributedSampler(range(n), num_replicas=world, rank=rank, shuffle=True, seed=seed)
    s.set_epoch(epoch)
    return list(iter(s))


def _properties(shards, n, world, where):
    per_rank = math.ceil(n / world)
    for rank, shard in enumerate(shards):
        bad = [i for i in shard if not 0 <= i < n]
        expect_true(not bad, f"{where}: rank {rank} got index {bad[:1]}, outside 0..n-1.")
    lengths = [len(s) for s in shards]
    seen = {i for s in shards for i in s}
    if len(set(lengths)) > 1:
        fail(f"{where}: the ranks got shards of different lengths {lengths}. In a distributed "
             "job every rank must run the same number of steps (a rank that finishes early "
             "leaves the others waiting forever at the next all-reduce): pad the permutation.")
    if lengths[0] < per_rank:
        fail(f"{where}: {n - len(seen)} example(s) are never read by any rank. Cutting the "
             "shuffled list down to a multiple of the world size drops the tail of the data; "
             "pad it with its first entries instead, up to ceil(n / num_replicas) per rank.")
    expect_true(lengths[0] == per_rank,
                f"{where}: each rank got {lengths[0]} indices; the padding should only bring "
                "the total up to the next multiple of num_replicas.")
    extra = world * per_rank - n
    repeats = sum(len(s) for s in shards) - len(seen)
    if repeats > extra:
        fail(f"{where}: the shards overlap: {repeats} reads are repeats, more than the "
             f"{extra} that padding needs, so some examples are read by two ranks and others "
             "by none. Every rank must shuffle with the SAME permutation (a generator seeded "
             "with seed + epoch, never with the rank) and then take its own slice of it.")


def check(learner, ctx):
    fn = require_function(learner, "shard_indices")
    seeds = [0, ctx.seed + 7]
    for n, world in CASES:
        for seed in seeds:
            by_epoch = []
            for epoch in range(3):
                where = f"With n={n}, num_replicas={world}, epoch={epoch}, seed={seed}"
                shards = _shards(fn, n, world, epoch, seed)
                _properties(shards, n, world, where)
                by_epoch.append(shards)
            if n > 2 and by_epoch[0] == by_epoch[1] == by_epoch[2]:
                fail(f"With n={n}, num_replicas={world}, seed={seed}: every epoch reads the "
                     "examples in the same order. The shuffle must change each epoch: seed "
                     "the generator with seed + epoch (this is what sampler.set_epoch(epoch) "
                     "does for DistributedSampler).")
            for epoch, shards in enumerate(by_epoch):
                where = f"With n={n}, num_replicas={world}, epoch={epoch}, seed={seed}"
                expected = [_sampler(n, world, r, epoch, seed) for r in range(world)]
                if shards == expected:
                    continue
                if all(sorted(a) == sorted(b) for a, b in zip(shards, expected, strict=True)):
                    fail(f"{where}: each rank has the right examples but in the wrong order.")
                if sorted(sum(shards, [])) == sorted(sum(expected, [])):
                    fail(f"{where}: the shards are a valid split, but not the one "
                         "DistributedSampler makes: it deals the padded permutation out like "
                         "cards (rank r takes positions r, r + R, r + 2R, ...), not in "
                         "contiguous blocks.")
                fail(f"{where}: the shards differ from DistributedSampler's. Shuffle with "
                     "torch.randperm(n, generator=g) where g = torch.Generator().manual_seed("
                     "seed + epoch), pad, then deal out.")
