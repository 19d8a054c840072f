"""Mutant: Gini computed as 1 - sum p_k (not squared), which is always 0.

Gini impurity and entropy of a node, from the labels of the samples that reach it."""

import numpy as np


def class_counts(y, n_classes):
    """How many samples of each class 0..n_classes-1 there are in y (zeros included)."""
    return np.bincount(np.asarray(y, dtype=int), minlength=n_classes)


def gini(y, n_classes):
    """Gini impurity: 1 - sum_k p_k**2, where p_k is the share of class k in y."""
    p = class_counts(y, n_classes) / len(y)
    return float(1.0 - np.sum(p))


def entropy(y, n_classes):
    """Entropy in bits: -sum_k p_k * log2(p_k), with 0 * log2(0) taken as 0."""
    p = class_counts(y, n_classes) / len(y)
    p = p[p > 0]
    return float(-np.sum(p * np.log2(p))) + 0.0  # + 0.0 turns -0.0 into 0.0


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
