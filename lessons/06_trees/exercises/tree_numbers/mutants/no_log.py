"""Mutant: training time proportional to m alone, the log factor forgotten.

Back-of-the-envelope numbers about trees: depth, number of leaves, training time."""

import math


def balanced_depth(m, samples_per_leaf=1):
    """Depth of a balanced binary tree that holds m samples, at most samples_per_leaf per leaf.

    It needs ceil(m / samples_per_leaf) leaves, and a depth of d gives at most 2**d leaves.
    """
    leaves = math.ceil(m / samples_per_leaf)
    return max(0, math.ceil(math.log2(leaves)))


def max_leaf_count(max_depth, m):
    """The most leaves a tree limited to max_depth can have when trained on m samples."""
    return min(2 ** max_depth, m)


def training_hours(hours, m_old, m_new):
    """Training time on m_new samples, if m_old samples took `hours` and cost grows as m log2 m."""
    return hours * m_new / m_old


if __name__ == "__main__":
    import numpy as np
    from sklearn.tree import DecisionTreeClassifier

    from homl_tui import report

    print("depth for 1,000,000 samples, one per leaf:", balanced_depth(1_000_000))
    print("depth for 1,000,000 samples, 50 per leaf: ", balanced_depth(1_000_000, 50))
    print("most leaves with max_depth=30 on 1,000 samples:", max_leaf_count(30, 1000))
    print(f"1 hour on 1M samples -> {training_hours(1, 1_000_000, 10_000_000):.1f} hours on 10M")

    # What real (unbalanced) trees do: fit on noisy data and compare with the balanced depth.
    rng = np.random.default_rng(0)
    sizes = [100, 300, 1000, 3000, 10000]
    depths = []
    for m in sizes:
        X = rng.normal(size=(m, 2))
        y = (X[:, 0] + rng.normal(scale=0.5, size=m) > 0).astype(int)
        depths.append(DecisionTreeClassifier(random_state=0).fit(X, y).get_depth())
        print(f"m={m:6d}  fitted depth {depths[-1]:3d}   balanced depth {balanced_depth(m)}")
    report.plot("depth", depths, np.log2(sizes), kind="scatter",
                title="depth of an unconstrained tree against log2(m)")
