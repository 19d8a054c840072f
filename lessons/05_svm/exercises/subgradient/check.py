"""Check predict and train_linear_svm (subgradient descent on the SVM objective).

Data: two Gaussian clouds in 2-D, centres (2.0, 1.5) and (4.5, 3.0), std (1.0, 0.7), far
from the origin so the bias matters; 300 training and 1000 held-out points, fresh seeds.
Training with lam=0.01, lr=0.1, 1000 epochs (about 0.15 s).
Reference over 6 seeded data sets (0-5):
  held-out accuracy 0.944 0.957 0.956 0.945 0.956 0.947 (LinearSVC with the same C = 1/(m lam):
  0.945 0.960 0.962 0.937 0.954 0.944), final objective 0.127-0.182.
  With the bias frozen at 0: accuracy 0.47-0.54, objective 0.74-0.80.
Bars: held-out accuracy >= 0.92 and final objective <= 0.25. On the check's own data set
(seed 2 + 17) the reference reaches 0.963 and an objective of 0.162.
"""

import math

import numpy as np

from homl_tui.checks import as_array, expect_decreasing, expect_true, fail, require_function

LAM, LR, EPOCHS = 0.01, 0.1, 1000
ACC_BAR, J_BAR = 0.92, 0.25


def _data(rng, n):
    y = rng.integers(0, 2, size=n)
    centres = np.where(y[:, None] == 1, [4.5, 3.0], [2.0, 1.5])
    return centres + rng.normal(size=(n, 2)) * [1.0, 0.7], y


def _labels(name, value, n):
    value = as_array(value)
    expect_true(value.shape == (n,), f"`{name}` returned shape {value.shape}; it should "
                f"return one label per row of X, shape ({n},).")
    if value.dtype.kind == "b":
        value = value.astype(int)
    uniques = set(np.unique(value).tolist())
    if -1 in uniques:
        fail(f"`{name}` returns -1 for the negative class. The targets t = 2y - 1 are in "
             "{-1, +1} only inside the objective; predictions must use the labels of y, "
             "{0, 1}.")
    expect_true(uniques <= {0, 1}, f"`{name}` returns values other than 0 and 1: "
                f"{sorted(uniques)[:5]}.")
    return value


def _check_predict(predict, rng):
    X = rng.normal(size=(50, 3)) * 2
    w, b = rng.normal(size=3), 0.5
    got = _labels("predict", predict(X.copy(), w.copy(), b), 50)
    want = (X @ w + b > 0).astype(int)
    wrong = int(np.sum(got != want))
    if wrong:
        if wrong == 50:
            fail("`predict` gets every label backwards: class 1 is where w . x + b > 0.")
        fail(f"`predict` gives the wrong class for {wrong} of 50 points: class 1 where "
             "w . x + b > 0, class 0 elsewhere.")


def check(learner, ctx):
    predict = require_function(learner, "predict")
    train = require_function(learner, "train_linear_svm")
    rng = ctx.rng(17)
    _check_predict(predict, rng)

    X, y = _data(rng, 300)
    X_test, y_test = _data(rng, 1000)
    with ctx.report.capture() as events:
        out = train(X.copy(), y.copy(), LAM, LR, EPOCHS)
    if not isinstance(out, tuple) or len(out) != 3:
        fail("`train_linear_svm` should return (w, b, losses); it returned a "
             f"{type(out).__name__}.")
    w, b, losses = out
    w = as_array(w).astype(np.float64).reshape(-1)
    expect_true(w.shape == (2,), f"w has {w.size} entries; the data has 2 features.")
    b = float(as_array(b).reshape(-1)[0])
    losses = [float(v) for v in losses]
    expect_true(len(losses) == EPOCHS, f"`losses` has {len(losses)} entries for {EPOCHS} "
                "epochs: append the objective once per epoch.")
    where = f"(lam={LAM}, lr={LR}, {EPOCHS} epochs)"
    first, last = np.mean(losses[:50]), np.mean(losses[-50:])
    if math.isfinite(last) and last > first:
        fail(f"With {where} the objective GREW during training (about {first:.3g} at the "
             f"start, {last:.3g} at the end): each step must go AGAINST the subgradient, "
             "subtracting lr times it from w and from b.")
    expect_decreasing("losses", losses, window=50)
    if not (math.isfinite(b) and np.all(np.isfinite(w))):
        fail("w or b is not finite after training: the updates diverged.")

    accuracy = float(np.mean(predict(X_test, w, b) == y_test))
    ctx.report.boundary("your linear SVM", lambda P: predict(P, w, b), X_test[:300],
                        y_test[:300], title=f"held-out accuracy {accuracy:.3f}")
    if b == 0.0:
        fail(f"After training {where} the bias b is still exactly 0: it is never updated. "
             "These clouds sit far from the origin, so a boundary through the origin cannot "
             f"separate them (held-out accuracy {accuracy:.3f}). Step b with grad_b too.")
    J = ctx.reference.svm_objective(w, b, X, y, LAM)[0]
    if J > J_BAR or accuracy < ACC_BAR:
        fail(f"After training {where} the objective of your (w, b) is {J:.3f} and the "
             f"held-out accuracy {accuracy:.3f}; they need to reach at most {J_BAR} and at "
             f"least {ACC_BAR}. Is every epoch one full step on both w and b, starting "
             "from zeros?")

    metrics = [e for e in events if e["kind"] == "metric"]
    expect_true(metrics, "Training never called report.metric, so the app cannot draw the "
                "objective: call report.metric(step=epoch, objective=J) every epoch.")
