"""A soft-voting ensemble that reads handwritten digits (at least 98% on held-out images).

Run this file to train the ensemble and see each member's accuracy; Check fits your
ensemble on a held-out split of digits (it needs at least 0.98).
"""

from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import VotingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from homl_tui import report


def build_ensemble():
    """Return an UNFITTED soft-voting VotingClassifier with at least three different members."""
    # TODO 1: pick at least three different classifiers that each have predict_proba.
    #         Good candidates on digits: an SVC (wrapped in CalibratedClassifierCV so it gets
    #         predict_proba), a LogisticRegression on standardized pixels, a KNeighborsClassifier,
    #         a RandomForest or ExtraTrees. Give them names: [("svc", ...), ("logreg", ...), ...].
    # TODO 2: return VotingClassifier(estimators=..., voting="soft", n_jobs=1)
    #         (optionally with weights=[...] to trust the best member more).
    raise NotImplementedError("build_ensemble: fill in the TODOs")


def fit_and_score(model, X_train, y_train, X_test, y_test):
    """Fit `model` on the training set and return its accuracy on the test set."""
    # TODO 3: fit the model on the training set only, then return its accuracy on the
    #         test set (model.score does both the predictions and the accuracy).
    raise NotImplementedError("fit_and_score: fill in the TODO")


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
