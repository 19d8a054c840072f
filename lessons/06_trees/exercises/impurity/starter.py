"""Gini impurity and entropy of a node, from the labels of the samples that reach it.

Run this file to print both measures for a few small nodes and plot them for a two-class
node; Check to test class_counts, gini and entropy.
"""

import numpy as np


def class_counts(y, n_classes):
    """How many samples of each class 0..n_classes-1 there are in y (zeros included).

    y: a 1-D array (or list) of integer labels in 0..n_classes-1. Return an int array of
    length n_classes, even when the largest classes do not appear in y.
    """
    # TODO 1: count the labels (np.bincount does it; mind its `minlength` argument).
    raise NotImplementedError("class_counts: fill in the TODO")


def gini(y, n_classes):
    """Gini impurity: 1 - sum_k p_k**2, where p_k is the share of class k in y. A float."""
    # TODO 2: turn the counts into shares p_k (they must add up to 1), then 1 - sum of squares.
    raise NotImplementedError("gini: fill in the TODO")


def entropy(y, n_classes):
    """Entropy in bits: -sum_k p_k * log2(p_k), with 0 * log2(0) taken as 0. A float."""
    # TODO 3: the same shares; leave out the classes with p_k == 0 (log2(0) is -inf),
    #         and use log base 2 so the answer is in bits.
    raise NotImplementedError("entropy: fill in the TODO")


if __name__ == "__main__":
    from homl_tui import report

    nodes = {
        "pure": [1, 1, 1, 1, 1, 1],
        "mostly 0": [0, 0, 0, 0, 0, 1],
        "50 / 50": [0, 0, 0, 1, 1, 1],
        "3 classes, even": [0, 0, 1, 1, 2, 2],
    }
    for name, labels in nodes.items():
        print(f"{name:16s} counts {class_counts(labels, 3)}  gini {gini(labels, 3):.3f}"
              f"  entropy {entropy(labels, 3):.3f} bits")

    # Both measures for a two-class node, as the share of class 1 goes from 0 to 1.
    shares = np.linspace(0, 1, 101)
    ginis, entropies = [], []
    for share in shares:
        ones = int(round(share * 1000))
        labels = np.array([1] * ones + [0] * (1000 - ones))
        ginis.append(gini(labels, 2))
        entropies.append(entropy(labels, 2))
    report.plot("gini", ginis, shares, title="Gini impurity against the share of class 1")
    report.plot("entropy", entropies, shares, title="entropy (bits) against the share of class 1")
