from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

GAMMAS = (0.01, 0.1, 1, 10, 100)
CS = (0.01, 1, 100, 10000)


def make_model(gamma, C):
    return make_pipeline(StandardScaler(), SVC(kernel="rbf", gamma=gamma, C=C))


def select_rbf(X, y, gammas=GAMMAS, Cs=CS):
    best_score, best_pair = -1.0, None
    for gamma in gammas:
        for C in Cs:
            # Mistake: scored on the very data it was fitted on (training accuracy).
            score = make_model(gamma, C).fit(X, y).score(X, y)
            if score > best_score:
                best_score, best_pair = score, (gamma, C)
    return make_model(*best_pair).fit(X, y)
