"""Check rmse and train_test_rmse.

rmse: 6 seeded cases (lists and arrays, n from 1 to 500) against the reference; when wrong,
the check tries the usual mistakes (MSE without the root, MAE, root of the sum) and names
the one the result matches.
train_test_rmse: seeded data (n = 60 rows, 2 features, a curved target plus noise), a fixed
45/15 split, three fresh models (1-NN, a line, 5-NN) compared with the reference. The 1-NN
model makes two mistakes visible: fitted on the test rows too, it remembers how many rows it
saw (n_samples_fit_) and its test error drops to 0; measured on the training set, the "test"
error equals the training error. No thresholds: exact up to float rounding (rtol 1e-6).
"""

import numpy as np
from sklearn.linear_model import LinearRegression
from sklearn.neighbors import KNeighborsRegressor

from homl_tui.checks import CheckFailed, expect_close, fail, require_function


def _close(a, b):
    return np.allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float),
                       rtol=1e-6, atol=1e-12)


def _check_rmse(rmse, ref, rng):
    cases = []
    for n in (10, 1, 57, 500):
        cases.append((rng.normal(3, 2, size=n), rng.normal(3, 2, size=n)))
    cases.append(([1.0, 2.0, 3.0, 4.0], [1.5, 2.0, 2.0, 6.0]))
    y = rng.normal(0, 1, size=20)
    cases.append((y, y.copy()))
    for number, (y_true, y_pred) in enumerate(cases, start=1):
        where = f"On test input #{number} ({len(y_true)} values)"
        got = rmse(y_true, y_pred)
        if got is None:
            fail(f"{where} rmse returned None: did you forget to `return`?")
        if np.ndim(got) != 0:
            fail(f"{where} rmse returned an array of shape {np.shape(got)}; it should return one "
                 "number: average the squared errors over all values.")
        want = ref(y_true, y_pred)
        if _close(got, want):
            continue
        diff = np.asarray(y_pred, dtype=float) - np.asarray(y_true, dtype=float)
        for variant, message in (
            (np.mean(diff ** 2), "This is the mean squared error: take its square root, so "
             "that the error is in the same units as the targets."),
            (np.mean(np.abs(diff)), "This is the mean absolute error: square the errors, "
             "average them, then take the square root."),
            (np.sqrt(np.sum(diff ** 2)), "You took the square root of the SUM of squared "
             "errors: average them first (divide by the number of values)."),
        ):
            if _close(got, variant):
                fail(f"{where}: {message}")
        try:
            expect_close("rmse(...)", got, want, rtol=1e-6, atol=1e-12)
        except CheckFailed as exc:
            fail(f"{where}: {exc.message}")


def _data(rng):
    X = rng.uniform(-2, 2, size=(60, 2))
    y = np.sin(2 * X[:, 0]) + X[:, 1] ** 2 + rng.normal(0, 0.3, size=60)
    return X[:45], y[:45], X[45:], y[45:]


def _check_train_test(fn, ref, rng):
    X_train, y_train, X_test, y_test = _data(rng)
    for make in (lambda: KNeighborsRegressor(n_neighbors=1), LinearRegression,
                 lambda: KNeighborsRegressor(n_neighbors=5)):
        model = make()
        out = fn(model, X_train.copy(), y_train.copy(), X_test.copy(), y_test.copy())
        name = type(model).__name__ + (f"(n_neighbors={model.n_neighbors})"
                                       if hasattr(model, "n_neighbors") else "()")
        where = f"With a {name} (45 training rows, 15 test rows)"
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            fail(f"{where}: train_test_rmse should return two numbers (train RMSE, test RMSE); "
                 f"it returned a {type(out).__name__}.")
        train_error, test_error = (float(v) for v in out)
        want_train, want_test = ref(make(), X_train, y_train, X_test, y_test)
        seen = getattr(model, "n_samples_fit_", None)
        if seen is not None and seen != len(X_train):
            fail(f"{where}: the model was fitted on {seen} rows, but the training set has "
                 f"{len(X_train)}. Fitting on the test rows too lets the model see the "
                 "answers it is then graded on, so the test error says nothing about new "
                 "data. Fit on X_train, y_train only.")
        if _close([train_error, test_error], [want_train, want_test]):
            continue
        if _close([train_error, test_error], [want_test, want_train]):
            fail(f"{where}: the two numbers are swapped; return the training error first, "
                 "then the test error.")
        if _close(test_error, train_error):
            fail(f"{where}: the test error equals the training error. The test error must "
                 "be measured on X_test and y_test, data the model has never seen.")
        if _close(train_error, want_train) and not _close(test_error, want_test):
            fail(f"{where}: the training error is right but the test error is not. Compare "
                 "model.predict(X_test) with y_test.")
        try:
            expect_close("the training error", train_error, want_train, rtol=1e-6)
            expect_close("the test error", test_error, want_test, rtol=1e-6)
        except CheckFailed as exc:
            fail(f"{where}: {exc.message} Fit on the training set, then use your rmse on "
                 "each set.")


def check(learner, ctx):
    rmse = require_function(learner, "rmse")
    fn = require_function(learner, "train_test_rmse")
    _check_rmse(rmse, ctx.reference.rmse, ctx.rng(1))
    _check_train_test(fn, ctx.reference.train_test_rmse, ctx.rng(2))
