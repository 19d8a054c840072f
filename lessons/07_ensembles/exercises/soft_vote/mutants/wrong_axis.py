"""Mutant: sums the weighted probabilities over the samples (axis 1) instead of over the models.

Soft voting: average the class probabilities of the models, then take the most probable class."""

import numpy as np

from homl_tui import report


def soft_vote(probas, weights=None):
    """Weighted average of class probabilities over models.

    probas: array of shape (n_models, n_samples, n_classes); probas[i, j] is the probability
    vector that model i gives to sample j. weights: None (all models count the same) or
    n_models non-negative numbers. Returns (avg, labels): avg of shape (n_samples, n_classes),
    whose rows still sum to 1, and labels of shape (n_samples,), the index of the most
    probable class in each row.
    """
    probas = np.asarray(probas, dtype=float)
    if weights is None:
        weights = np.ones(probas.shape[0])
    weights = np.asarray(weights, dtype=float)
    avg = (weights[:, None, None] * probas).sum(axis=1) / weights.sum()
    return avg, avg.argmax(axis=1)


if __name__ == "__main__":
    from sklearn.datasets import make_moons
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.tree import DecisionTreeClassifier

    # Two models unsure one way, one model sure the other way: the votes and the average disagree.
    p = np.array([[[0.45, 0.55]], [[0.45, 0.55]], [[0.95, 0.05]]])
    avg, label = soft_vote(p)
    print("hard vote says class 1; soft vote says class", label[0], "with average", avg[0])

    X, y = make_moons(500, noise=0.3, random_state=42)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=42)
    models = [LogisticRegression(),
              DecisionTreeClassifier(max_depth=5, min_samples_leaf=5, random_state=42),
              KNeighborsClassifier(n_neighbors=15)]
    names, accs = [], []
    for model in models:
        model.fit(X_train, y_train)
        names.append(type(model).__name__.replace("Classifier", ""))
        accs.append(model.score(X_test, y_test))
        print(f"{names[-1]:>18}: test accuracy {accs[-1]:.3f}")

    def soft_predict(Z, weights=None):
        return soft_vote(np.stack([m.predict_proba(Z) for m in models]), weights)[1]

    for weights in (None, [1, 2, 2]):
        names.append(f"soft {weights or 'equal'}")
        accs.append((soft_predict(X_test, weights) == y_test).mean())
        print(f"soft vote, weights {weights}: test accuracy {accs[-1]:.3f}")
    report.plot("accuracy", accs, names, kind="bar", title="test accuracy on the moons")
    report.boundary("soft vote", soft_predict, X_test, y_test,
                    title="decision regions of the soft vote (test points on top)")
