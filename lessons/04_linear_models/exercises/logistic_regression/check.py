"""Check sigmoid, train_logistic and predict: batch gradient descent on the log loss must reach
the solution of scikit-learn's unregularised LogisticRegression, and the classifier must
recognise Iris virginica from its petal width on held-out flowers.

Synthetic problem: 120 examples, 2 standard-normal features, labels drawn from a logistic
model (not separable, so the optimum is finite). eta 0.5, 2000 epochs from zeros: the reference
lands within 1e-7 of LogisticRegression(C=inf); we allow 1e-4.
Iris (petal width only, virginica or not), stratified 100 train / 50 test, eta 0.5, 3000
epochs: test accuracy of the reference over 20 split seeds (0-19) is 0.92-1.0, median 0.96;
means over 3 consecutive seeds are at least 0.94, and the check's 3 splits (ctx.seed = 9:
seeds 9-11) give 0.973. We need a mean of at least 0.9. About 1 s after the imports.
"""

import numpy as np

from homl_tui.checks import (
    expect_at_least,
    expect_close,
    expect_shape,
    expect_true,
    fail,
    require_function,
)


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _check_sigmoid(sigmoid, rng):
    z = np.concatenate([rng.normal(0, 4, 20), [-30.0, -5.0, 0.0, 5.0, 30.0]])
    with np.errstate(over="ignore"):
        got = sigmoid(z.copy())
    if got is None:
        fail("sigmoid returned None: did you forget to `return`?")
    got = np.asarray(got, dtype=float)
    expect_shape("sigmoid(z) for z of shape (25,)", got, z.shape)
    expect_close("sigmoid(z)", got, _sigmoid(z), rtol=1e-9, atol=1e-12)


def _problem(rng, m=120):
    X = rng.normal(size=(m, 2))
    p = _sigmoid(0.5 + X @ np.array([2.0, -1.5]))
    return X, (rng.random(m) < p).astype(int)


def _train(train, ctx, X, y, eta, n_epochs):
    ctx.reseed()
    with ctx.report.capture() as events, np.errstate(all="ignore"):
        out = train(X.copy(), y.copy(), eta, n_epochs)
    if not isinstance(out, tuple) or len(out) != 2:
        fail("train_logistic should return (theta, losses); it returned a "
             f"{type(out).__name__}.")
    theta, losses = out
    theta = np.asarray(theta, dtype=float).reshape(-1)
    if theta.shape != (X.shape[1] + 1,):
        fail(f"theta has {theta.size} entries; with {X.shape[1]} feature(s) it needs "
             f"{X.shape[1] + 1}: the bias first, then one weight per feature.")
    try:
        losses = [float(v) for v in losses]
    except (TypeError, ValueError):
        fail("`losses` should be a list of floats, one per epoch.")
    return theta, losses, events


def _check_training(train, ctx):
    from sklearn.linear_model import LogisticRegression

    X, y = _problem(ctx.rng(21))
    eta, epochs = 0.5, 2000
    where = f"On a synthetic problem (eta={eta}, {epochs} epochs)"
    theta, losses, events = _train(train, ctx, X, y, eta, epochs)
    expect_true(len(losses) == epochs, f"{where}, `losses` has {len(losses)} entries; record "
                "one per epoch.")
    expect_true(all(np.isfinite(losses)), f"{where}, the losses contain NaN or inf: clip the "
                "probabilities away from 0 and 1 before the log.")
    rises = np.mean(np.diff(losses[:50]) > 0)
    if losses[-1] > losses[0] and rises > 0.9:
        fail(f"{where}, the loss goes up at almost every step: the updates go uphill. "
             "Gradient DESCENT moves against the gradient (subtract eta * gradient).")
    metrics = [e for e in events if e["kind"] == "metric"]
    expect_true(len(metrics) >= epochs, f"{where}, report.metric was called {len(metrics)} "
                f"time(s) in {epochs} epochs: stream the loss once per epoch.")
    sk = LogisticRegression(C=np.inf, tol=1e-10, max_iter=10000).fit(X, y)
    want = np.r_[sk.intercept_, sk.coef_.ravel()]
    err = float(np.max(np.abs(theta - want)))
    if not err <= 1e-4:
        bounce = max(losses[-10:]) > min(losses) * 1.05
        why = (" The loss bounces instead of settling: the steps are far too big." if bounce
               else "")
        fail(f"{where}, theta is off by up to {err:.3g} from the minimum of the log loss."
             f"{why} Is the gradient a mean over the examples (divided by m), and does theta "
             "start at zeros?")


def _check_iris(train, predict, predict_proba, ctx):
    from sklearn.datasets import load_iris
    from sklearn.model_selection import train_test_split

    iris = load_iris()
    X, y = iris.data[:, 3:], (iris.target == 2).astype(int)
    accuracies = []
    for split in range(3):
        X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=50, stratify=y,
                                                  random_state=ctx.seed + split)
        theta, _, _ = _train(train, ctx, X_tr, y_tr, 0.5, 3000)
        pred = np.asarray(predict(X_te.copy(), theta)).reshape(-1)
        proba = np.asarray(predict_proba(X_te.copy(), theta), dtype=float).reshape(-1)
        expect_shape("predict(X_test, theta)", pred, y_te.shape)
        expect_true(np.all(np.isin(pred, (0, 1))), "predict should return labels 0 and 1 only.")
        if not np.array_equal(pred, (proba >= 0.5).astype(int)):
            fail("predict disagrees with predict_proba(...) >= 0.5 on some flowers: the "
                 "threshold of 0.5 applies to the probability, not to the raw score "
                 "(a score of 0 is a probability of 0.5).")
        accuracies.append(float(np.mean(pred == y_te)))
    expect_at_least("The mean test accuracy (virginica or not, 3 held-out splits)",
                    np.mean(accuracies), 0.9)
    widths = np.linspace(0, 3, 61)
    ctx.report.plot("your P(virginica)", np.asarray(predict_proba(widths[:, None], theta)),
                    widths, title="your estimated probability against petal width (cm)")


def check(learner, ctx):
    sigmoid = require_function(learner, "sigmoid")
    train = require_function(learner, "train_logistic")
    predict_proba = require_function(learner, "predict_proba")
    predict = require_function(learner, "predict")
    _check_sigmoid(sigmoid, ctx.rng(5))
    _check_training(train, ctx)
    _check_iris(train, predict, predict_proba, ctx)
