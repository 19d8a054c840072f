"""Check boost_with_early_stopping: the streamed curves, the best number of trees, the model.

Data (seeded): 200 training and 200 validation points, y = sin(1.5 x0) + 0.3 x1 + noise
(sd 0.5); 120 stages, learning rate 0.2, depth 3. The training RMSE falls at every stage
while the validation RMSE has a clear minimum early on. Over the data seeds 9-13 (the check
uses 9) the best number of trees was 23, 21, 22, 40, 20, the validation RMSE 0.54-0.64 at the
minimum and 0.59-0.68 with all 120 trees, the training RMSE 0.12-0.15 at the end. On seed 9
the runner-up stage is 7e-4 worse than the best.

The streamed curves are compared with the same boosting computed by the check, within
CURVE_TOL = 0.02: a learner who rewrites the boosting loop may break tied splits differently
(see the previous exercise). On data seeds 9-13, a fixed integer seed per tree, random_state
None, or F recomputed as a sum moved these curves by at most 0.0052 (and moved the best
number of trees on two seeds), while a missing learning rate or errors measured on the wrong
set move them by 0.1 or more. So best_n and the returned trees are checked against the
learner's OWN streamed curve, exactly.
"""

import math

import numpy as np

from homl_tui.checks import expect_close, fail, require_function

N_STAGES, LR, DEPTH = 120, 0.2, 3
CURVE_TOL = 0.02


def _data(rng, n):
    X = rng.uniform(-3, 3, size=(n, 2))
    y = np.sin(1.5 * X[:, 0]) + 0.3 * X[:, 1] + 0.5 * rng.normal(size=n)
    return X, y


def _rmse(a, b):
    return float(np.sqrt(np.mean((a - b) ** 2)))


def _curves(ref, X_train, y_train, X_val, y_val):
    init, trees = ref.fit_boosting(X_train, y_train, N_STAGES, LR, DEPTH, 0)
    F_train, F_val = np.full(len(y_train), init), np.full(len(y_val), init)
    train, val = [], []
    for tree in trees:
        F_train += LR * tree.predict(X_train)
        F_val += LR * tree.predict(X_val)
        train.append(_rmse(y_train, F_train))
        val.append(_rmse(y_val, F_val))
    return np.array(train), np.array(val)


def _streamed(events):
    metrics = [e for e in events if e["kind"] == "metric"]
    if not metrics:
        fail("boost_with_early_stopping never called report.metric, so the app cannot draw "
             "the curves. After every stage call report.metric(step=m, train_rmse=..., "
             "val_rmse=...).")
    for key in ("train_rmse", "val_rmse"):
        if not any(key in e["values"] for e in metrics):
            fail(f"report.metric was never given a value named `{key}`: send both "
                 "train_rmse and val_rmse after every stage.")
    rows = [e for e in metrics if "val_rmse" in e["values"] and "train_rmse" in e["values"]]
    if len(rows) < N_STAGES:
        fail(f"report.metric sent the errors {len(rows)} time(s) for {N_STAGES} stages: call "
             "it inside the loop, once per stage, so the curves grow live.")
    if len(rows) > N_STAGES:
        fail(f"report.metric sent the errors {len(rows)} times for {N_STAGES} stages: once per "
             "stage is enough.")
    steps = [e["step"] for e in rows]
    if steps != list(range(1, N_STAGES + 1)):
        hint = " (they start at 0)" if steps == list(range(N_STAGES)) else ""
        fail(f"The `step` values sent with report.metric should be 1, 2, ..., {N_STAGES}: the "
             f"number of trees in the model so far{hint}.")
    train = np.array([float(e["values"]["train_rmse"]) for e in rows])
    val = np.array([float(e["values"]["val_rmse"]) for e in rows])
    return train, val


def _predict(ctx, init, trees, X):
    """The returned model's predictions (with the reference predict: that part was checked
    in the previous exercise)."""
    return ctx.reference.predict_boosting(float(init), trees, LR, X)


def check(learner, ctx):
    boost = require_function(learner, "boost_with_early_stopping")
    rng = ctx.rng(9)
    X_train, y_train = _data(rng, 200)
    X_val, y_val = _data(rng, 200)
    want_train, want_val = _curves(ctx.reference, X_train, y_train, X_val, y_val)

    with ctx.report.capture() as events:
        out = boost(X_train.copy(), y_train.copy(), X_val.copy(), y_val.copy(), N_STAGES, LR,
                    DEPTH, 0)
    if not isinstance(out, tuple) or len(out) != 3:
        fail("`boost_with_early_stopping` should return (init, best_trees, best_n); it "
             f"returned a {type(out).__name__}.")
    init, trees, best_n = out
    train, val = _streamed(events)

    if not np.all(np.isfinite(val)) or not np.all(np.isfinite(train)):
        fail("Some of the errors you streamed are NaN or infinite.")
    if np.allclose(val, train, atol=1e-12):
        fail("The val_rmse you streamed is the error on the TRAINING set: it keeps falling "
             "forever, so it cannot tell when to stop. Compute it from the running "
             "predictions on X_val against y_val.")
    expect_close("the streamed train_rmse curve", train, want_train, atol=CURVE_TOL, rtol=0)
    expect_close("the streamed val_rmse curve", val, want_val, atol=CURVE_TOL, rtol=0)

    if isinstance(best_n, bool) or not isinstance(best_n, (int, np.integer)):
        fail(f"best_n is a {type(best_n).__name__}; it should be a whole number of trees.")
    best_n = int(best_n)
    best = int(np.argmin(val)) + 1       # from the learner's own curve
    if best_n != best:
        if best_n == best - 1:
            fail("best_n is off by one: the first entry of the validation curve (index 0) "
                 "is the model with 1 tree, so the number of trees is the index of the "
                 "minimum plus 1.")
        if best_n == int(np.argmin(train)) + 1:
            fail(f"best_n is {best_n}, the stage with the lowest TRAINING error. The training "
                 "error keeps falling as trees are added; choose the number of trees with "
                 "the lowest VALIDATION error.")
        fail(f"best_n is {best_n}, which is not the number of trees with the lowest "
             "validation RMSE.")
    trees = list(trees)
    if len(trees) != best_n:
        fail(f"You returned {len(trees)} trees, but best_n is {best_n}: return only the "
             "first best_n trees (trees[:best_n]), the early-stopped model.")
    got = _rmse(y_val, _predict(ctx, init, trees, X_val))
    if not math.isclose(got, float(val[best_n - 1]), abs_tol=1e-8):
        fail("The returned model (init and the returned trees) does not have the validation "
             "error you streamed for that many trees: return init and the first best_n trees "
             "of the boosting you streamed.")
