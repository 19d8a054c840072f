from sklearn.linear_model import SGDClassifier
from sklearn.svm import SVC, LinearSVC


def three_svms(X_train, y_train, C):
    m = len(X_train)
    # Mistake: no scaler; the solvers see features on wildly different scales.
    linear_svc = LinearSVC(C=C, loss="hinge", max_iter=50_000, random_state=42)
    svc = SVC(kernel="linear", C=C)
    sgd = SGDClassifier(loss="hinge", alpha=1 / (m * C), max_iter=2000, tol=1e-6,
                        random_state=42)
    for model in (linear_svc, svc, sgd):
        model.fit(X_train, y_train)
    return linear_svc, svc, sgd
