"""Check WideAndDeep and fit_regressor on the diabetes data (raw units, scaled=False).

1. The model: output of shape (batch,), and the parameter count of a head that sees the
   n_features raw inputs next to the `hidden` deep features.
2. A held-out split (25% of the 442 rows, random_state 7 + seed): fit on the other 331 rows,
   predict the held-out ones.
3. Predictions must not depend on the other rows passed to predict (scaling new rows with
   their own statistics is caught here).
4. Units: refitting after changing the units of every feature (x -> a * x + b) or of the
   target must give the same predictions (in the new units). Standardising with training
   statistics makes the pipeline invariant up to float32 rounding; skipping a standardisation
   does not. Largest change over training seeds 0-9 of the reference: 0.0055 target standard
   deviations (features), below 1e-5 (target); the mutants without feature / target scaling
   change by 3.2 to 12.5 and 3.2 to 4.3. We allow 0.05.
5. Quality: held-out R^2 at least 0.40. Reference (EPOCHS 10, LR 0.003, batch 32, hidden 32)
   over training seeds 0-9 on this split: 0.501 0.460 0.509 0.494 0.506 0.499 0.483 0.492
   0.496 0.516 (min 0.460; plain linear regression gets 0.503). Without feature scaling:
   -3.09 to -0.16; without target scaling: -0.18 to 0.19 (seeds 0-4). One fit takes about
   0.5 s, and the check makes three.
"""

import numpy as np
import torch
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from torch import nn

from homl_tui.checks import expect_at_least, expect_true, fail, require_function

R2_MIN = 0.40
UNIT_TOL = 0.05


def _check_model(WideAndDeep):
    n, h = 7, 16
    model = WideAndDeep(n, hidden=h)
    if not isinstance(model, nn.Module):
        fail("`WideAndDeep(...)` is not an nn.Module.")
    out = model(torch.randn(5, n))
    if tuple(out.shape) == (5, 1):
        fail("WideAndDeep returns a column of shape (5, 1) for 5 rows; the targets are a flat "
             "vector, and MSELoss would broadcast (5, 1) against (5,) into a (5, 5) table. Drop "
             "the last axis (.squeeze(-1)).")
    expect_true(tuple(out.shape) == (5,), f"WideAndDeep returns shape {tuple(out.shape)} for 5 "
                "rows; it should return one number per row, shape (5,).")
    count = sum(p.numel() for p in model.parameters())
    deep = n * h + h + h * h + h
    if count == deep + h + 1:
        fail(f"WideAndDeep({n}, hidden={h}) has the parameters of a plain deep network: its "
             "head sees only the deep features. The wide path is missing: concatenate the raw "
             "inputs with the deep features before the head.")
    expect_true(count == deep + n + h + 1,
                f"WideAndDeep({n}, hidden={h}) has {count} parameters, not the number for two "
                f"hidden layers of {h} units and a head that sees {n} + {h} inputs.")


def _fit(fit_regressor, ctx, X, y):
    ctx.reseed()
    predict = fit_regressor(X, y, seed=ctx.seed)
    if not callable(predict):
        fail(f"`fit_regressor` returned a {type(predict).__name__}; return the function "
             "predict(X_new).")
    return predict


def _predict(predict, X, where):
    out = predict(X)
    if isinstance(out, torch.Tensor):
        out = out.detach().cpu().numpy()
    out = np.asarray(out, dtype=np.float64)
    if out.shape != (len(X),):
        fail(f"predict(X) returned shape {out.shape} for {len(X)} rows ({where}); return one "
             "prediction per row, a flat NumPy array.")
    if not np.all(np.isfinite(out)):
        fail(f"predict(X) returned NaN or infinite values ({where}). Dividing by a standard "
             "deviation of zero does that: are the statistics those of the training data?")
    return out


def check(learner, ctx):
    WideAndDeep = require_function(learner, "WideAndDeep")
    fit_regressor = require_function(learner, "fit_regressor")
    torch.set_grad_enabled(True)
    ctx.reseed()
    _check_model(WideAndDeep)

    data = load_diabetes(scaled=False)
    X_train, X_test, y_train, y_test = train_test_split(
        data.data, data.target, test_size=0.25, random_state=7 + ctx.seed)
    predict = _fit(fit_regressor, ctx, X_train, y_train)
    pred = _predict(predict, X_test, "the held-out rows")
    scale = float(np.std(y_train))

    for rows in (slice(5, 9), slice(0, 1)):
        part = predict(X_test[rows])
        if isinstance(part, torch.Tensor):
            part = part.detach().cpu().numpy()
        part = np.asarray(part, dtype=np.float64).reshape(-1)
        if part.shape != pred[rows].shape or not np.all(np.isfinite(part)) \
                or np.max(np.abs(part - pred[rows])) > 1e-3 * scale:
            fail("A row's prediction changes with the other rows passed to predict along with "
                 "it: predict rescales new data with their own mean and standard deviation. "
                 "Reuse the training statistics, computed once in fit_regressor.")

    rng = ctx.rng(8)
    a = 10 ** rng.uniform(-1, 1, size=X_train.shape[1])
    b = rng.uniform(-50, 50, size=X_train.shape[1])
    moved = _predict(_fit(fit_regressor, ctx, X_train * a + b, y_train), X_test * a + b,
                     "after changing the units of the features")
    gap = float(np.max(np.abs(moved - pred))) / scale
    if gap > UNIT_TOL:
        fail("Changing the units of the features (say, age in decades instead of years) "
             f"changed the predictions by up to {gap:.2f} target standard deviations. Standardise "
             "every feature with the training mean and standard deviation, in fit_regressor and "
             "in predict, so the units cannot matter.")
    moved = _predict(_fit(fit_regressor, ctx, X_train, 0.01 * y_train + 3.0), X_test,
                     "after changing the units of the target")
    gap = float(np.max(np.abs((moved - 3.0) / 0.01 - pred))) / scale
    if gap > UNIT_TOL:
        fail("Changing the units of the target changed the predictions by up to "
             f"{gap:.2f} target standard deviations, once converted back. Standardise the "
             "target with its training mean and standard deviation before training, and undo it "
             "in predict: the network then learns numbers of order 1, whatever the units.")

    rmse = float(np.sqrt(np.mean((pred - y_test) ** 2)))
    r2 = 1.0 - float(np.sum((pred - y_test) ** 2) / np.sum((y_test - y_test.mean()) ** 2))
    ctx.report.plot("held-out", pred, y_test, kind="scatter",
                    title=f"check: held-out predictions (RMSE {rmse:.1f}, R^2 {r2:.3f})",
                    xlabel="true", ylabel="predicted")
    expect_at_least("The held-out R^2", r2, R2_MIN,
                    "Keep the preset EPOCHS and LR: on 331 training rows, many more epochs "
                    "overfit and far fewer underfit.", fmt=".3f")
