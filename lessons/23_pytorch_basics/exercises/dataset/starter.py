"""A Dataset over a table of numbers, and a reproducible DataLoader on top of it.

TableDataset(X, y) wraps a feature table X (a NumPy array or a pandas DataFrame of numbers, one
row per example) and its targets y (a 1-D array or Series). It stores them as float32 tensors,
says how many examples it holds, and hands out example i as a pair (features_i, target_i).

make_loader(dataset, batch_size, shuffle, seed) returns a DataLoader that stacks examples into
batches and, when shuffle is true, visits them in a random order drawn from its OWN generator,
seeded with `seed`: the same seed gives the same batches, whatever else the program did.

Run this file to see the first batches of the diabetes table; Check to test both.
"""

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

from homl_tui import report


class TableDataset(Dataset):
    """Example i is (X[i] as a float32 tensor of shape (d,), y[i] as a float32 0-d tensor)."""

    def __init__(self, X, y):
        # TODO 1: store X and y as float32 tensors (np.asarray turns a DataFrame or Series into
        #         an array; torch.tensor(..., dtype=torch.float32) then copies it into a tensor).
        raise NotImplementedError("TableDataset.__init__: store the data")

    def __len__(self):
        # TODO 2: the number of examples (rows).
        raise NotImplementedError("TableDataset.__len__")

    def __getitem__(self, i):
        # TODO 3: the pair (features of row i, target of row i).
        raise NotImplementedError("TableDataset.__getitem__")


def make_loader(dataset, batch_size, shuffle, seed=0):
    """A DataLoader over `dataset`; with shuffle=True its order comes from a generator seeded
    with `seed` (torch.Generator().manual_seed(seed)), passed as generator=...; the last,
    smaller batch is kept."""
    # TODO 4
    raise NotImplementedError("make_loader")


if __name__ == "__main__":
    from sklearn.datasets import load_diabetes

    data = load_diabetes(as_frame=True, scaled=False)
    dataset = TableDataset(data.data, data.target)
    print(f"{len(dataset)} examples; example 0:", dataset[0])

    loader = make_loader(dataset, batch_size=64, shuffle=True, seed=42)
    print(f"{len(loader)} batches per epoch")
    for i, (X_batch, y_batch) in enumerate(loader):
        print(f"batch {i}: X {tuple(X_batch.shape)} {X_batch.dtype}, y {tuple(y_batch.shape)},"
              f" first targets {np.round(y_batch[:4].numpy()).tolist()}")
        if i == 0:
            first_targets = y_batch
            bmi = list(data.data.columns).index("bmi")
            report.plot("first batch", y_batch, X_batch[:, bmi], kind="scatter",
                        title="first shuffled batch: disease progression against BMI",
                        xlabel="bmi", ylabel="target")

    again = next(iter(make_loader(dataset, 64, True, seed=42)))[1]
    print("a new loader with the same seed starts with the same batch:",
          torch.equal(again, first_targets))
    print("the next epoch of the same loader starts with the same batch:",
          torch.equal(next(iter(loader))[1], first_targets))
