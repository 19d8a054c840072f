"""Mutant: rounds the average label, which only works for two classes.

Hard voting: each model casts one vote per sample, the most frequent label wins."""

import numpy as np

from homl_tui import report


def hard_vote(predictions):
    """Majority vote over models.

    predictions: integer array of shape (n_models, n_samples); row i holds the labels that
    model i predicted. Returns an array of shape (n_samples,) with the most frequent label
    in each column; a tie goes to the smallest of the tied labels (as in scikit-learn).
    """
    predictions = np.asarray(predictions)
    return np.round(predictions.mean(axis=0)).astype(predictions.dtype)


if __name__ == "__main__":
    from sklearn.datasets import make_moons
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.tree import DecisionTreeClassifier

    print(hard_vote(np.array([[0, 1, 2, 2],
                              [0, 1, 1, 0],
                              [1, 2, 1, 2]])), "<- expected [0 1 1 2]")
    print(hard_vote(np.array([[3, 7], [7, 3]])), "<- ties go to the smallest label: [3 3]")

    X, y = make_moons(500, noise=0.3, random_state=42)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=42)
    models = {
        "logistic": LogisticRegression(),
        "tree (depth 5)": DecisionTreeClassifier(max_depth=5, random_state=42),
        "3-NN": KNeighborsClassifier(n_neighbors=3),
    }
    names, accs = [], []
    for name, model in models.items():
        model.fit(X_train, y_train)
        names.append(name)
        accs.append((model.predict(X_test) == y_test).mean())
        print(f"{name:>15}: test accuracy {accs[-1]:.3f}")

    def vote_predict(Z):
        return hard_vote(np.stack([m.predict(Z) for m in models.values()]))

    names.append("hard vote")
    accs.append((vote_predict(X_test) == y_test).mean())
    print(f"{'hard vote':>15}: test accuracy {accs[-1]:.3f}")
    report.plot("accuracy", accs, names, kind="bar", title="test accuracy on the moons")
    report.boundary("hard vote", vote_predict, X_test, y_test,
                    title="decision regions of the hard vote (test points on top)")
