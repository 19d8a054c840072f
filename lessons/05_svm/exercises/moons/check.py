"""Check select_rbf on fresh moons: 200 training points (noise 0.3), 2000 held-out points.

Grid: gammas (0.01, 0.1, 1, 10, 100) x Cs (0.01, 1, 100, 10000), 5-fold CV.
Held-out accuracy of the chosen model, over 6 seeded data sets (training seeds 0-5):
  best CV pair (the reference):      0.900 0.905 0.899 0.905 0.892 0.911  (min 0.892)
  best TRAINING accuracy pair:       0.833 0.825 0.795 0.847 0.855 0.814  (max 0.855)
  last pair of the loops (100, 1e4): 0.844 0.806 0.794 0.809 0.809 0.818  (max 0.844)
  worst CV pair:                     0.722 0.656 0.722 0.705 0.715 0.720
  best pair in hindsight (test):     0.900 0.907 0.901 0.905 0.913 0.914
The bar is 0.87: below every CV-chosen result, above every wrong way of choosing.
The check uses the data set of seed 4 (reference 0.892, the hardest of the six);
select_rbf takes about 3 s (20 pairs x 5 folds).
"""

import numpy as np
from sklearn.datasets import make_moons
from sklearn.model_selection import cross_val_score

from homl_tui.checks import expect_true, fail, require_function

BAR = 0.87
GAMMAS = (0.01, 0.1, 1, 10, 100)
CS = (0.01, 1, 100, 10000)


def _chosen(model):
    """(gamma, C) of the fitted model, whatever wraps the SVC."""
    model = getattr(model, "best_estimator_", model)
    params = model.get_params() if hasattr(model, "get_params") else {}
    gamma = next((v for k, v in params.items() if k == "gamma" or k.endswith("__gamma")), None)
    C = next((v for k, v in params.items() if k == "C" or k.endswith("__C")), None)
    return model, gamma, C


def _call(fn, X, y, gammas, Cs):
    model = fn(X.copy(), y.copy(), gammas, Cs)
    expect_true(hasattr(model, "predict"), "`select_rbf` should return the fitted model "
                f"(a pipeline); it returned a {type(model).__name__}.")
    return _chosen(model)


def check(learner, ctx):
    fn = require_function(learner, "select_rbf")
    make_model = getattr(learner, "make_model", None) or ctx.reference.make_model
    X, y = make_moons(n_samples=200, noise=0.3, random_state=ctx.seed + 4)
    X_test, y_test = make_moons(n_samples=2000, noise=0.3, random_state=ctx.seed + 1004)
    ctx.reseed()
    model, gamma, C = _call(fn, X, y, GAMMAS, CS)
    if gamma not in GAMMAS or C not in CS:
        fail(f"The returned model has gamma={gamma!r} and C={C!r}; both should come from the "
             "grid passed to select_rbf.")
    try:
        train_acc, test_acc = model.score(X, y), model.score(X_test, y_test)
    except Exception as exc:  # noqa: BLE001 - NotFittedError and friends
        fail(f"Scoring the returned model raised {type(exc).__name__}: fit the chosen model "
             "on all of X, y before returning it.")
    ctx.report.boundary("your chosen RBF SVM", model.predict, X, y,
                        title=f"gamma={gamma}, C={C}: held-out accuracy {test_acc:.3f}")
    if test_acc >= BAR:
        return

    where = (f"Your model (gamma={gamma}, C={C}) reaches {train_acc:.3f} on its training "
             f"points but only {test_acc:.3f} on 2000 held-out points; it needs at least "
             f"{BAR}.")
    if (gamma, C) == (GAMMAS[-1], CS[-1]):
        _, gamma2, C2 = _call(fn, X, y, GAMMAS[::-1], CS[::-1])
        if (gamma2, C2) == (GAMMAS[0], CS[0]):
            fail(f"{where} It always uses the LAST pair of the grid (reverse the lists and "
                 "the choice follows): after the loops, `gamma` and `C` are simply the "
                 "loop's last values. Keep the best pair in its own variable.")
    train_scores = {(g, c): make_model(g, c).fit(X, y).score(X, y) for g in GAMMAS for c in CS}
    if train_scores[gamma, C] >= max(train_scores.values()) - 1e-12:
        fail(f"{where} Your pair has the best TRAINING accuracy: judged on the points it "
             "was fitted on, the model that memorises them wins. Score each pair with "
             "cross-validation instead, on folds the model did not train on.")
    cv = {(g, c): cross_val_score(make_model(g, c), X, y, cv=5).mean()
          for g in GAMMAS for c in CS}
    if cv[gamma, C] <= np.quantile(list(cv.values()), 0.25):
        fail(f"{where} Your pair has one of the LOWEST cross-validated accuracies: keep the "
             "pair with the highest score (accuracy is better when larger, unlike an error).")
    fail(f"{where} Pick the pair with the best 5-fold cross-validated accuracy, then refit "
         "it on all of X, y.")
