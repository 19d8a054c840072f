"""One-hot encoding with advanced indexing.

labels = tensor([2, 0, 1]), num_classes = 4   ->   tensor([[0., 0., 1., 0.],
                                                           [1., 0., 0., 0.],
                                                           [0., 1., 0., 0.]])

Classification losses and metrics often want the targets as one-hot rows. Build them with
one indexing operation: no Python loop over the labels.
"""

import torch
from homl_tui import report


def one_hot(labels, num_classes):
    """labels: 1-D int64 tensor of class indices in [0, num_classes).

    Return a float32 tensor of shape (len(labels), num_classes) with exactly one 1.0 per row.
    """
    # TODO 1: create a float32 tensor of zeros with the right shape.
    # TODO 2: set the entry (i, labels[i]) to 1.0 for every row i, in ONE indexing
    #         assignment: index the rows with torch.arange(...) and the columns with labels.
    # TODO 3: return it.
    raise NotImplementedError("one_hot: fill in the TODOs")


if __name__ == "__main__":
    # Press Run: encode some labels and decode them back with argmax.
    labels = torch.tensor([3, 0, 2, 2, 1, 0, 3, 1])
    encoded = one_hot(labels, 4)
    print(encoded)
    print("dtype:", encoded.dtype, " row sums:", encoded.sum(dim=1).tolist())
    print("decoded with argmax:", encoded.argmax(dim=1).tolist())
    report.plot("one-hot rows (8 labels, 4 classes)", encoded, kind="image")
