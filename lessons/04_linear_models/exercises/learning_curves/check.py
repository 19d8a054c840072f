"""Check polynomial_features (against sklearn's PolynomialFeatures) and learning_curves
(against a reference computed here, on seeded quadratic data).

Data: x uniform in [-3, 3], y = 0.5 x^2 + x + 2 + noise(1); 80 training, 30 validation
examples; features of degree 1 and 8; sizes from 10 to 80 in steps of 5 (always more examples
than parameters, so every least-squares solver gives the same theta). The values are exact
arithmetic: we allow rtol 1e-6. The wrong variants people write (validation error on the
training set, training error on the whole training set, MSE instead of RMSE) are recomputed
here, so each is recognised and named.
"""

import numpy as np

from homl_tui.checks import expect_close, expect_shape, expect_true, fail, require_function

SIZES = np.arange(10, 81, 5)
RTOL = 1e-6


def _fit(X, y):
    theta, *_ = np.linalg.lstsq(np.column_stack([np.ones(len(X)), X]), y, rcond=None)
    return theta


def _rmse(a, b):
    return float(np.sqrt(np.mean((a - b) ** 2)))


def _curves(Xt, yt, Xv, yv, sizes):
    """The right curves and the wrong variants people write, to name a mistake."""
    out = {k: [] for k in ("train", "val", "val_on_train", "train_on_full")}
    for s in sizes:
        theta = _fit(Xt[:s], yt[:s])
        fit_train = theta[0] + Xt[:s] @ theta[1:]
        out["train"].append(_rmse(yt[:s], fit_train))
        out["val"].append(_rmse(yv, theta[0] + Xv @ theta[1:]))
        out["val_on_train"].append(out["train"][-1])
        out["train_on_full"].append(_rmse(yt, theta[0] + Xt @ theta[1:]))
    return {k: np.array(v) for k, v in out.items()}


def _close(a, b):
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-6, atol=1e-9)


def _check_poly(poly, rng):
    from sklearn.preprocessing import PolynomialFeatures

    for degree in (1, 2, 5):
        x = rng.uniform(-2, 2, 9)
        got = poly(x.copy(), degree)
        if got is None:
            fail("polynomial_features returned None: did you forget to `return`?")
        got = np.asarray(got, dtype=float)
        want = PolynomialFeatures(degree, include_bias=False).fit_transform(x[:, None])
        label = f"polynomial_features(x, {degree}) for x of shape (9,)"
        if got.shape == (9, degree + 1) and np.allclose(got[:, 0], 1):
            fail(f"{label} has a first column of ones (x**0): start at x**1. The bias is "
                 "added by the model (fit_linear), not by the features.")
        if got.shape == (degree, 9):
            fail(f"{label} has shape {got.shape}: one ROW per example is needed, with the "
                 "powers as columns.")
        expect_shape(label, got, want.shape)
        expect_close(label, got, want, rtol=RTOL, atol=1e-9)


def _check_curves(curves, poly, rng, ctx):
    m = 110
    x = rng.uniform(-3, 3, m)
    y = 0.5 * x ** 2 + x + 2 + rng.normal(0, 1, m)
    for degree in (1, 8):
        Xt, Xv = poly(x[:80], degree), poly(x[80:], degree)
        Xt, Xv = np.asarray(Xt, dtype=float), np.asarray(Xv, dtype=float)
        where = f"For features of degree {degree} and sizes 10, 15, ..., 80"
        with ctx.report.capture() as events:
            out = curves(Xt.copy(), y[:80].copy(), Xv.copy(), y[80:].copy(), SIZES.copy())
        if not isinstance(out, tuple) or len(out) != 2:
            fail("learning_curves should return two arrays, (train_rmse, val_rmse); it "
                 f"returned a {type(out).__name__}.")
        train, val = (np.asarray(v, dtype=float).reshape(-1) for v in out)
        ref = _curves(Xt, y[:80], Xv, y[80:], SIZES)
        for name, got in (("train_rmse", train), ("val_rmse", val)):
            expect_true(got.shape == SIZES.shape,
                        f"{where}, {name} has {got.size} values; it needs one per size "
                        f"({SIZES.size}).")
        if _close(val, ref["val_on_train"]) or _close(val, train):
            fail(f"{where}, the validation error equals the training error at every size: "
                 "it was computed on the training examples. Measure it on the validation "
                 "set (X_val, y_val), which the model never saw.")
        for name, got, want in (("train_rmse", train, ref["train"]),
                                ("val_rmse", val, ref["val"])):
            if _close(got, want ** 2):
                fail(f"{where}, {name} looks like the mean squared error: RMSE is its "
                     "square root.")
        if _close(train, ref["train_on_full"]):
            fail(f"{where}, the training error was measured on the whole training set. "
                 "Measure it on the examples the model was trained on (the first s), so the "
                 "curve shows how well the model fits what it has seen.")
        expect_close(f"{where}, train_rmse", train, ref["train"], rtol=RTOL, atol=1e-9)
        expect_close(f"{where}, val_rmse", val, ref["val"], rtol=RTOL, atol=1e-9)

        metrics = [e["values"] for e in events if e["kind"] == "metric"]
        streamed = [v for v in metrics if "train_rmse" in v and "val_rmse" in v]
        if len(streamed) < len(SIZES):
            fail(f"{where}, report.metric sent train_rmse and val_rmse together "
                 f"{len(streamed)} time(s) for {len(SIZES)} sizes: call "
                 "report.metric(step=s, train_rmse=..., val_rmse=...) once per size.")
        ctx.report.plot(f"degree {degree}: your validation RMSE", val, SIZES,
                        title=f"degree {degree}: validation RMSE against training-set size")


def check(learner, ctx):
    poly = require_function(learner, "polynomial_features")
    curves = require_function(learner, "learning_curves")
    rng = ctx.rng(3)
    _check_poly(poly, rng)
    _check_curves(curves, poly, rng, ctx)
