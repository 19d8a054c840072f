"""Check hard_margin_svm on the iris petals (setosa vs versicolor) and on two seeded,
linearly separable point clouds with a gap of 0.3 around a random line.

- hard margin: every training point must satisfy t * (w.x + b) >= 0.99 (libsvm stops at
  a tolerance of 1e-3; the reference's smallest value is above 0.999 on all three sets);
  with the default C=1 the smallest value is about 0.79 on iris.
- width: compared with the reference's 2 / ||w|| with rtol 1e-3 (C=inf and C=1e6 give the
  same street here, to 1e-6).
- n_support: compared with the number of support vectors of the learner's own model, so a
  solver that picks another (equally valid) set on a tie is not punished.
"""

import numpy as np
from sklearn.datasets import load_iris

from homl_tui.checks import expect_true, fail, require_function


def _iris():
    iris = load_iris()
    keep = iris.target < 2
    return "the iris petals", iris.data[keep][:, 2:4], iris.target[keep]


def _separable(rng, number):
    X = rng.uniform(-3, 3, size=(400, 2))
    angle = rng.uniform(0, np.pi)
    u = np.array([np.cos(angle), np.sin(angle)])
    c = rng.uniform(-0.5, 0.5)
    s = X @ u - c
    keep = np.abs(s) > 0.15  # a gap of 0.3 around the line: separable with room to spare
    X, y = X[keep][:60], (s[keep][:60] > 0).astype(int)
    return f"separable point cloud #{number}", X, y


def _one(fn, ref_fn, name, X, y):
    out = fn(X.copy(), y.copy())
    if not isinstance(out, tuple) or len(out) != 3:
        fail("`hard_margin_svm` should return a tuple (model, width, n_support); it returned "
             f"a {type(out).__name__}.")
    model, width, n_support = out
    coef = getattr(model, "coef_", None)
    if coef is None or not hasattr(model, "decision_function"):
        fail("The returned model has no coef_ or decision_function: return the fitted "
             "SVC(kernel=\"linear\", ...) itself.")
    w = np.asarray(coef, dtype=float).reshape(-1)
    t = 2 * y - 1
    margins = t * np.asarray(model.decision_function(X), dtype=float)
    inside = int(np.sum(margins < 0.99))
    if inside:
        fail(f"On {name}, {inside} training point(s) lie inside the street or on the wrong "
             "side (t * (w.x + b) < 1). That is a soft margin: with the default C=1 the SVM "
             "trades a wider street for a few violations. A hard margin allows none: make C "
             "huge (float('inf') works).")
    try:
        width = float(width)
    except (TypeError, ValueError):
        fail(f"`width` is a {type(width).__name__}; it should be one number.")
    ref_width = ref_fn(X.copy(), y.copy())[1]
    norm = np.linalg.norm(w)
    if not np.isclose(width, ref_width, rtol=1e-3):
        if np.isclose(width, 1 / norm, rtol=1e-3):
            fail(f"On {name}, the width is half of what it should be: 1/||w|| is the distance "
                 "from the decision boundary to ONE edge of the street. The street spans "
                 "both sides of the boundary.")
        if np.isclose(width, 2 / norm**2, rtol=1e-3):
            fail(f"On {name}, the width uses ||w|| squared (w @ w): the norm is the square "
                 "root of that.")
        fail(f"On {name}, the street width is off by {abs(width - ref_width):.3g}. It is "
             "2 / ||w||, with w = model.coef_[0].")
    sv = getattr(model, "support_vectors_", None)
    expect_true(sv is not None, "The returned model has no support_vectors_: return the "
                "fitted SVC.")
    per_class = [int(v) for v in getattr(model, "n_support_", [])]
    try:
        n_support = int(n_support)
    except (TypeError, ValueError):
        fail(f"`n_support` is a {type(n_support).__name__}; it should be one whole number.")
    if n_support != len(sv):
        if n_support in per_class:
            fail(f"On {name}, n_support counts the support vectors of one class only: "
                 "n_support_ holds one count per class. Count both classes.")
        fail(f"On {name}, n_support ({n_support}) is not the number of support vectors of "
             "your fitted model.")


def check(learner, ctx):
    fn = require_function(learner, "hard_margin_svm")
    ref_fn = ctx.reference.hard_margin_svm
    rng = ctx.rng(5)
    for name, X, y in (_iris(), _separable(rng, 1), _separable(rng, 2)):
        _one(fn, ref_fn, name, X, y)
    name, X, y = _iris()
    model = fn(X, y)[0]
    ctx.report.boundary("your hard-margin SVM", model.predict, X, y,
                        title="iris petals: setosa (0) vs versicolor (1)",
                        xlabel="petal length", ylabel="petal width")
