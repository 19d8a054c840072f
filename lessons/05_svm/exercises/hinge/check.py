"""Check svm_objective(w, b, X, y, lam) on seeded random problems (labels in {0, 1}):

1. J against the reference (rtol 1e-9: exact float64 arithmetic); a wrong J is compared with
   the usual mistakes (labels used as targets, margin 0, regularised bias, sum instead of
   mean, missing 1/2) to say which one it looks like.
2. grad_w, grad_b against the reference (rtol 1e-9); a wrong gradient is compared with the
   usual mistakes, and otherwise with central finite differences of the learner's own J
   (which matches the reference by then; eps 1e-6). The reference agrees with them to
   about 3e-10: the closest margin to the kink at 1 in these cases is about 0.04 away.
Cases mix active and inactive examples: w ~ 0.7 N(0, 1), b ~ N(0, 1), several lam > 0.
"""

import numpy as np

from homl_tui.checks import (
    CheckFailed,
    as_array,
    expect_close,
    expect_shape,
    fail,
    require_function,
)

RTOL, ATOL = 1e-9, 1e-12


def _close(a, b):
    return np.allclose(a, b, rtol=RTOL, atol=ATOL)


def _j_variants(w, b, X, y, lam):
    t, s = 2 * y - 1, X @ w + b
    pen = lam / 2 * (w @ w)
    hinge = np.maximum(0, 1 - t * s)
    return [
        (np.maximum(0, 1 - y * s).mean() + pen,
         "the labels y in {0, 1} are used directly as the targets t. The hinge loss needs "
         "t in {-1, +1} (t = 2y - 1); with 0, every negative example scores as margin 0."),
        (np.maximum(0, -t * s).mean() + pen,
         "it looks like max(0, -margin), a margin of 0 (the perceptron's loss). The SVM "
         "wants every example at least 1 away: max(0, 1 - margin)."),
        (hinge.mean() + pen + lam / 2 * b * b,
         "it penalises the bias too. Only w is regularised: the bias just shifts the "
         "boundary, and shrinking it would pull the boundary towards the origin."),
        (hinge.sum() + pen,
         "it sums the hinge losses instead of averaging them."),
        (hinge.mean() + lam * (w @ w),
         "the penalty is lam * ||w||^2; it should be lam / 2 * ||w||^2."),
    ]


def _numeric_grad(J, w, b, eps=1e-6):
    gw = np.array([(J(w + eps * e, b) - J(w - eps * e, b)) / (2 * eps) for e in np.eye(len(w))])
    gb = (J(w, b + eps) - J(w, b - eps)) / (2 * eps)
    return gw, gb


def _one(fn, ref, w, b, X, y, lam, label):
    out = fn(w.copy(), b, X.copy(), y.copy(), lam)
    if not isinstance(out, tuple) or len(out) != 3:
        fail("`svm_objective` should return a tuple (J, grad_w, grad_b); it returned a "
             f"{type(out).__name__}.")
    J, grad_w, grad_b = out
    want_J, want_w, want_b = ref(w.copy(), b, X.copy(), y.copy(), lam)
    J = as_array(J)
    if J.size != 1 or J.dtype.kind not in "iuf":
        fail(f"{label}: J should be one number; it is a {type(out[0]).__name__} "
             f"of shape {J.shape}.")
    J = float(J.reshape(-1)[0])
    if not _close(J, want_J):
        for value, why in _j_variants(w, b, X, y, lam):
            if _close(J, value):
                fail(f"{label}: J is wrong: {why}")
        fail(f"{label}: J is off by {abs(J - want_J):.3g}. It is the mean over examples of "
             "max(0, 1 - t_i (w . x_i + b)) plus lam / 2 * ||w||^2.")

    grad_w = as_array(grad_w).astype(np.float64)
    expect_shape("grad_w", grad_w, w.shape)
    if np.size(as_array(grad_b)) != 1:
        fail(f"{label}: grad_b should be one number (b is a scalar).")
    grad_b = float(as_array(grad_b).reshape(-1)[0])
    if _close(grad_w, want_w) and _close(grad_b, want_b):
        return
    t = 2 * y - 1
    if _close(grad_w, -want_w) and _close(grad_b, -want_b):
        fail(f"{label}: the gradient has the wrong sign: an active example pushes J down "
             "when t_i (w . x_i + b) grows, so its term is -t_i x_i / m.")
    if _close(grad_w, -(t @ X) / len(X) + lam * w):
        fail(f"{label}: every example contributes to grad_w, but only the active ones "
             "(margin < 1) should: past the margin the hinge loss is flat, its slope is 0.")
    if _close(grad_w, want_w) and _close(grad_b, want_b + lam * b):
        fail(f"{label}: grad_b contains lam * b, as if the bias were regularised; J does "
             "not penalise b, so neither does its gradient.")
    if _close(grad_w, want_w - lam * w):
        fail(f"{label}: grad_w is missing the penalty's part, lam * w.")
    numeric_w, numeric_b = _numeric_grad(
        lambda w_, b_: float(as_array(fn(w_, b_, X.copy(), y.copy(), lam)[0])), w, b)
    worst = max(np.abs(grad_w - numeric_w).max(), abs(grad_b - numeric_b))
    try:
        expect_close("(grad_w, grad_b)", np.append(grad_w, grad_b), np.append(want_w, want_b),
                     rtol=RTOL, atol=ATOL)
    except CheckFailed as exc:
        fail(f"{label}: your gradient disagrees with finite differences of J by up to "
             f"{worst:.3g}. {exc.message}")


def check(learner, ctx):
    fn = require_function(learner, "svm_objective")
    ref = ctx.reference.svm_objective
    rng = ctx.rng(23)
    for number, (m, n, lam) in enumerate(((20, 3, 0.1), (50, 5, 0.05), (7, 2, 0.5),
                                          (40, 4, 0.2)), start=1):
        X = rng.normal(size=(m, n))
        y = rng.integers(0, 2, size=m)
        y[:2] = (0, 1)  # both classes present
        w = 0.7 * rng.normal(size=n)
        b = float(rng.normal())
        label = f"On test case #{number} (X of shape {(m, n)}, lam={lam})"
        _one(fn, ref, w, b, X, y, lam, label)
    z = np.linspace(-2, 3, 101)
    ctx.report.plot("hinge loss", np.maximum(0, 1 - z), z, title="max(0, 1 - margin)")
