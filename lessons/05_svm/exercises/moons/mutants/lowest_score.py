from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

GAMMAS = (0.01, 0.1, 1, 10, 100)
CS = (0.01, 1, 100, 10000)


def make_model(gamma, C):
    return make_pipeline(StandardScaler(), SVC(kernel="rbf", gamma=gamma, C=C))


def select_rbf(X, y, gammas=GAMMAS, Cs=CS):
    results = []
    for gamma in gammas:
        for C in Cs:
            results.append((cross_val_score(make_model(gamma, C), X, y, cv=5).mean(), gamma, C))
    # Mistake: sorted ascending, so the first entry is the WORST score (as if it were an error).
    _, gamma, C = sorted(results)[0]
    return make_model(gamma, C).fit(X, y)
