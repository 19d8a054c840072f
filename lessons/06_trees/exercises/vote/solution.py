"""A vote of many small trees, each grown on its own random subset of the training set."""

import numpy as np
from sklearn.tree import DecisionTreeClassifier


def grow_forest(X, y, n_trees=300, subset_size=100, seed=0):
    """Fit n_trees unconstrained trees, each on subset_size samples drawn without replacement.

    One generator, created once from `seed`, draws every subset: the forest is reproducible,
    and each tree still sees different samples.
    """
    rng = np.random.default_rng(seed)
    trees = []
    for i in range(n_trees):
        idx = rng.choice(len(X), size=subset_size, replace=False)
        trees.append(DecisionTreeClassifier(random_state=i).fit(X[idx], y[idx]))
    return trees


def majority_vote(trees, X):
    """For every row of X, the label that most trees predict (ties: the smallest label)."""
    votes = np.stack([tree.predict(X) for tree in trees])       # (n_trees, n_samples)
    labels = np.unique(votes)                                    # sorted
    counts = (votes[None, :, :] == labels[:, None, None]).sum(axis=1)  # (n_labels, n_samples)
    return labels[np.argmax(counts, axis=0)]


if __name__ == "__main__":
    from sklearn.datasets import make_moons
    from sklearn.model_selection import train_test_split

    from homl_tui import report

    X, y = make_moons(n_samples=10_000, noise=0.4, random_state=42)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)

    trees = grow_forest(X_train, y_train, n_trees=300, subset_size=100, seed=42)
    single = [tree.score(X_test, y_test) for tree in trees]
    vote = majority_vote(trees, X_test)
    print(f"one small tree:      {np.mean(single):.3f} on average "
          f"(from {min(single):.3f} to {max(single):.3f})")
    print(f"the vote of {len(trees)} trees: {np.mean(vote == y_test):.3f}")
    tuned = DecisionTreeClassifier(max_leaf_nodes=16, random_state=42).fit(X_train, y_train)
    print(f"one tuned tree on all {len(X_train)} samples: {tuned.score(X_test, y_test):.3f}")

    # Accuracy of the vote as more trees join in.
    sizes = [1, 3, 5, 11, 21, 51, 101, 201, 300]
    accs = [np.mean(majority_vote(trees[:k], X_test) == y_test) for k in sizes]
    report.plot("growth", accs, sizes, title="accuracy of the vote against the number of trees")
    report.boundary("one", trees[0].predict, X_test[:800], y_test[:800],
                    title="one tree grown on 100 samples")
    report.boundary("vote", lambda Z: majority_vote(trees, Z), X_test[:800], y_test[:800],
                    title="the majority vote of 300 such trees")
