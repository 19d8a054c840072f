from sklearn.linear_model import SGDClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, LinearSVC


def three_svms(X_train, y_train, C):
    m = len(X_train)
    # Mistake: LinearSVC's default loss is the SQUARED hinge, another objective.
    linear_svc = make_pipeline(StandardScaler(), LinearSVC(C=C, random_state=42))
    svc = make_pipeline(StandardScaler(), SVC(kernel="linear", C=C))
    sgd = make_pipeline(StandardScaler(),
                        SGDClassifier(loss="hinge", alpha=1 / (m * C), max_iter=2000,
                                      tol=1e-6, random_state=42))
    for model in (linear_svc, svc, sgd):
        model.fit(X_train, y_train)
    return linear_svc, svc, sgd
