"""A shuffled train/test split, written by hand."""

import numpy as np

from homl_tui import report


def shuffle_split(X, y, test_ratio, rng):
    """Split (X, y) into a random training set and a random test set.

    The test set holds int(len(X) * test_ratio) examples (rounded down), the training set
    the rest; every example lands in exactly one of them, and rows of X stay paired with
    their targets. All randomness comes from `rng` (a numpy Generator).
    Return X_train, X_test, y_train, y_test.
    """
    X = np.asarray(X)
    y = np.asarray(y)
    n = len(X)
    n_test = int(n * test_ratio)
    order = rng.permutation(n)
    # Mistake: off by one, the training slice starts one index too early.
    test_idx, train_idx = order[:n_test], order[n_test - 1:]
    return X[train_idx], X[test_idx], y[train_idx], y[test_idx]


# ---- Done for you: the lesson's made-up table of countries (sorted by GDP). ----

def make_country_table(n=40, seed=42):
    rng = np.random.default_rng(seed)
    gdp = np.exp(rng.uniform(np.log(3.0), np.log(110.0), size=n))
    satisfaction = 2.6 + 0.95 * np.log(gdp) + rng.normal(0.0, 0.3, size=n)
    gdp = np.round(gdp, 1)
    satisfaction = np.round(np.clip(satisfaction, 0.0, 10.0), 2)
    order = np.argsort(gdp)
    return gdp[order], satisfaction[order]


if __name__ == "__main__":
    gdp, sat = make_country_table()
    X = gdp.reshape(-1, 1)
    X_train, X_test, y_train, y_test = shuffle_split(X, sat, 0.25, np.random.default_rng(0))
    print(f"{len(X)} countries -> {len(X_train)} for training, {len(X_test)} for testing")
    print("test GDPs:", sorted(X_test[:, 0].tolist()))
    again = shuffle_split(X, sat, 0.25, np.random.default_rng(0))[1]
    print("same seed, same test set:", np.array_equal(X_test, again))

    # The table is sorted by GDP: a split that does not shuffle would test on rich countries only.
    xs = np.concatenate([X_train[:, 0], X_test[:, 0]])
    ys = np.concatenate([y_train, y_test])
    labels = np.concatenate([np.zeros(len(y_train)), np.ones(len(y_test))])
    report.plot("split", ys, xs, kind="scatter", labels=labels,
                title="0: training set, 1: test set")
