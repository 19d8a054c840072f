from sklearn.linear_model import SGDClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, LinearSVC


def three_svms(X_train, y_train, C):
    linear_svc = make_pipeline(StandardScaler(),
                               LinearSVC(C=C, loss="hinge", max_iter=50_000, random_state=42))
    svc = make_pipeline(StandardScaler(), SVC(kernel="linear", C=C))
    # Mistake: alpha = 1 / C forgets that SGD averages the loss over the m examples.
    sgd = make_pipeline(StandardScaler(),
                        SGDClassifier(loss="hinge", alpha=1 / C, max_iter=2000, tol=1e-6,
                                      random_state=42))
    for model in (linear_svc, svc, sgd):
        model.fit(X_train, y_train)
    return linear_svc, svc, sgd
