"""Check choose_model on two fresh data sets where different models win.

Data: "straight" (150 rows, 5 features, linear target, noise std 1; seeds 11 / test 511) and
"wavy" (300 rows, 2 features, noise std 0.2; seeds 21 / test 521), candidates: a line,
1-NN, 5-NN and 15-NN, the learner's rng seeded with the exercise seed + 1.
Checks, in order: the return value, one finite score per candidate, the returned model is
the candidate with the lowest of the learner's own scores, refitted on all the rows, the
scores are not training errors (1-NN would score 0), and the held-out RMSE on 2,000 fresh
points.

Thresholds, from the reference on 20 data seeds (0-19, test seed + 500, rng seed + 7):
- straight: held-out RMSE median 1.023, max 1.059 (the line always wins; the best k-NN
  scores 1.52-1.68, 1-NN about 2.0). Threshold 1.25.
- wavy: median 0.416, max 0.451 (5-NN wins 16 times in 20, 1-NN otherwise; 15-NN scores
  0.53-0.65, the line about 1.45). Threshold 0.55.
On the check's own seeds the reference scores 1.059 (straight) and 0.405 (wavy).
"""

import math

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from homl_tui.checks import fail, require_function

DATA = (  # name, maker, rows, data seed, test seed, threshold
    ("straight", "make_straight", 150, 11, 511, 1.25),
    ("wavy", "make_wavy", 300, 21, 521, 0.55),
)


def _rmse(y_true, y_pred):
    return float(np.sqrt(np.mean((np.asarray(y_pred, dtype=float) - y_true) ** 2)))


def _which(model, candidates):
    for i, candidate in enumerate(candidates):
        if model is candidate:
            return i
    for i, candidate in enumerate(candidates):
        if type(model) is type(candidate) and model.get_params() == candidate.get_params():
            return i
    return None


def _one(fn, ref, name, maker, n, seed, test_seed, threshold, ctx):
    make = getattr(ref, maker)
    X, y = make(n, seed)
    X_test, y_test = make(2000, test_seed)
    candidates = ref.candidate_models()
    names = [repr(c) if not hasattr(c, "n_neighbors") else f"{c.n_neighbors}-NN"
             for c in candidates]
    where = f"On the {name} data ({n} rows)"
    out = fn(X.copy(), y.copy(), candidates, np.random.default_rng(ctx.seed + 1))
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        fail(f"{where}: choose_model should return (model, scores); it returned a "
             f"{type(out).__name__}.")
    model, scores = out
    try:
        scores = [float(s) for s in scores]
    except (TypeError, ValueError):
        fail(f"{where}: `scores` should be a list of numbers, one per candidate.")
    if len(scores) != len(candidates):
        fail(f"{where}: {len(scores)} score(s) for {len(candidates)} candidates; score every "
             "candidate, in order.")
    if not all(math.isfinite(s) and s >= 0 for s in scores):
        fail(f"{where}: some scores are negative, NaN or infinite; an RMSE is a finite "
             "number >= 0.")
    if not hasattr(model, "predict"):
        fail(f"{where}: the first thing returned should be the chosen model (with a predict "
             f"method); it is a {type(model).__name__}.")
    index = _which(model, candidates)
    if index is None:
        fail(f"{where}: the returned model is not one of the candidates (same class, same "
             "settings). Return a fitted copy of the candidate you chose.")
    if index != int(np.argmin(scores)):
        fail(f"{where}: you returned the {names[index]} model, but by your own scores it is "
             "not the one with the lowest validation RMSE. A lower RMSE is better: keep the "
             "candidate with the smallest error.")
    try:
        pred = np.asarray(model.predict(X_test), dtype=float)
    except NotFittedError:
        fail(f"{where}: the returned model is not fitted: fit the chosen candidate on all the "
             "rows before returning it.")
    refit = clone(model).fit(X, y).predict(X_test)
    seen = getattr(model, "n_samples_fit_", None)
    if (seen is not None and seen != n) or not np.allclose(pred, refit, rtol=1e-6, atol=1e-9):
        fail(f"{where}: the returned model was not fitted on all {n} rows"
             + (f" (it saw {seen})" if seen is not None and seen != n else "") + ". Once the "
             "validation set has done its job, refit a fresh copy of the winner on the whole "
             "training set: more data, a better model.")
    train_errors = [_rmse(y, clone(c).fit(X, y).predict(X)) for c in candidates]
    if np.allclose(scores, train_errors, rtol=1e-6, atol=1e-9) or scores[1] < 1e-9:
        fail(f"{where}: your scores are errors on data the candidates were trained on (the "
             "1-NN model scores 0: it simply remembers every training row). Score each "
             "candidate on a validation set it was not fitted on.")
    test_rmse = _rmse(y_test, pred)
    ctx.report.plot(f"scores_{name}", scores, names, kind="bar",
                    title=f"your validation RMSEs on the {name} data")
    if not test_rmse <= threshold:
        fail(f"{where}: the chosen {names[index]} model has RMSE {test_rmse:.3g} on 2,000 "
             f"fresh points, above the {threshold} this exercise allows. Is the validation "
             "set large enough and kept apart from the rows each candidate is fitted on?")


def check(learner, ctx):
    fn = require_function(learner, "choose_model")
    ctx.reseed()
    for name, maker, n, seed, test_seed, threshold in DATA:
        _one(fn, ctx.reference, name, maker, n, seed, test_seed, threshold, ctx)
