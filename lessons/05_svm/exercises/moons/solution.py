"""Choosing gamma and C for an RBF SVM by cross-validation, on the moons."""

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
    best_score, best_pair = -1.0, None
    for gamma in gammas:
        for C in Cs:
            score = cross_val_score(make_model(gamma, C), X, y, cv=5).mean()
            report.metric(step=None, cv_accuracy=score)
            if score > best_score:
                best_score, best_pair = score, (gamma, C)
    model = make_model(*best_pair)
    model.fit(X, y)
    return model


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
