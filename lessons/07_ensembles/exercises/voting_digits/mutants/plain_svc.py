"""Mutant: puts a plain SVC, which has no predict_proba, into a soft vote.

A soft-voting ensemble that reads handwritten digits (at least 98% on held-out images)."""

from sklearn.ensemble import VotingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from homl_tui import report


def build_ensemble():
    """Return an UNFITTED soft-voting VotingClassifier with at least three different members."""
    return VotingClassifier(
        estimators=[
            ("svc", SVC(C=10)),
            ("logreg", make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=1000))),
            ("knn", KNeighborsClassifier(n_neighbors=3, weights="distance")),
        ],
        voting="soft",
        weights=[2, 1, 1],
        n_jobs=1,
    )


def fit_and_score(model, X_train, y_train, X_test, y_test):
    """Fit `model` on the training set and return its accuracy on the test set."""
    model.fit(X_train, y_train)
    return model.score(X_test, y_test)


if __name__ == "__main__":
    from sklearn.datasets import load_digits
    from sklearn.metrics import confusion_matrix
    from sklearn.model_selection import train_test_split

    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=0)
    model = build_ensemble()
    acc = fit_and_score(model, X_train, y_train, X_test, y_test)
    names, accs = [], []
    for name, member in model.named_estimators_.items():
        names.append(name)
        accs.append(member.score(X_test, y_test))
        print(f"{name:>8}: test accuracy {accs[-1]:.4f}")
    names.append("ensemble")
    accs.append(acc)
    print(f"ensemble: test accuracy {acc:.4f} ({model.voting} voting)")
    report.plot("members", accs, names, kind="bar", title="test accuracy: members and ensemble")
    report.plot("confusion", confusion_matrix(y_test, model.predict(X_test)), kind="matrix",
                x=list(range(10)), title="ensemble confusion matrix (test set)",
                xlabel="predicted", ylabel="true")
