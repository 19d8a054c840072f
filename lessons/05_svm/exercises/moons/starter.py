"""Choosing gamma and C for an RBF SVM by cross-validation, on the moons.

Run this file to pick a pair, see the training and held-out accuracy and draw the decision
boundary next to an overfitting one; Check to test select_rbf on fresh moons.
"""

from sklearn.datasets import make_moons
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from homl_tui import report

GAMMAS = (0.01, 0.1, 1, 10, 100)
CS = (0.01, 1, 100, 10000)


def make_model(gamma, C):
    return make_pipeline(StandardScaler(), SVC(kernel="rbf", gamma=gamma, C=C))


def select_rbf(X, y, gammas=GAMMAS, Cs=CS):
    """Return make_model(gamma, C) fitted on all of X, y, for the pair (gamma, C) with the
    best 5-fold cross-validated accuracy on X, y."""
    # TODO 1: for every gamma in gammas and every C in Cs, score make_model(gamma, C) with
    #         5-fold cross-validation on X, y (cross_val_score(..., cv=5).mean()).
    #         Optional: report.metric(step=None, cv_accuracy=score) draws the scores live.
    # TODO 2: remember the best score AND the pair that produced it.
    # TODO 3: build make_model(...) with the best pair, fit it on all of X, y, return it.
    raise NotImplementedError("select_rbf: fill in the TODOs")


if __name__ == "__main__":
    X, y = make_moons(n_samples=200, noise=0.3, random_state=0)
    X_test, y_test = make_moons(n_samples=2000, noise=0.3, random_state=1)
    model = select_rbf(X, y)
    svc = model[-1]
    print(f"chosen gamma={svc.gamma}, C={svc.C}; {len(svc.support_)} support vectors")
    print(f"training accuracy {model.score(X, y):.3f}, held-out accuracy "
          f"{model.score(X_test, y_test):.3f}")
    report.boundary("chosen RBF SVM", model.predict, X, y,
                    title=f"gamma={svc.gamma}, C={svc.C}")
    overfit = make_model(100, 10000).fit(X, y)
    print(f"gamma=100, C=10000: training {overfit.score(X, y):.3f}, held-out "
          f"{overfit.score(X_test, y_test):.3f}")
    report.boundary("gamma=100, C=10000", overfit.predict, X, y, title="overfitting")
