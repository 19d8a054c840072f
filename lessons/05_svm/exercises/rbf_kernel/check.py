"""Check rbf_kernel(X, Y, gamma) against sklearn.metrics.pairwise.rbf_kernel on seeded random
points: several shapes, gammas other than 1 (so gamma and 1/gamma differ) and distances
spread around 1 (so d and d**2 differ). Exact arithmetic in float64: rtol 1e-7, atol 1e-12
(the reference matches scikit-learn to about 1e-15).

Inside the function no scikit-learn or SciPy distance helper may be called (checked on the
function's syntax tree); NumPy only.
"""

import ast
import inspect
import textwrap

import numpy as np
from sklearn.metrics.pairwise import rbf_kernel as sklearn_rbf_kernel

from homl_tui.checks import CheckFailed, as_array, expect_close, fail, require_function

FORBIDDEN = {"rbf_kernel", "pairwise_kernels", "euclidean_distances", "pairwise_distances",
             "cdist", "pdist", "sklearn", "scipy"}


def _forbid_helpers(fn):
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):
        return
    body = tree.body[0].body if tree.body and hasattr(tree.body[0], "body") else []
    for node in ast.walk(ast.Module(body=body, type_ignores=[])):
        name = (node.id if isinstance(node, ast.Name) else node.attr
                if isinstance(node, ast.Attribute) else None)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            name = "import"
        if name in FORBIDDEN or name == "import":
            fail("rbf_kernel must be written with NumPy alone: it uses "
                 f"`{name}` inside the function. The point is to build the kernel yourself "
                 "from the squared distances.")


def _diagnose(label, got, X, Y, gamma):
    n, m = X.shape[0], Y.shape[0]
    if got.shape != (n, m):
        if got.shape == (m, n) and n != m:
            fail(f"{label} has shape {got.shape}: it is transposed. Row i should compare X[i] "
                 "with every row of Y.")
        fail(f"{label} has shape {got.shape}, but it should have one row per point of X and "
             "one column per point of Y. Sum the squared differences over the feature axis "
             "(the last one), not over the points.")
    sq = ((X[:, None, :] - Y[None, :, :]) ** 2).sum(-1)
    if np.allclose(got, np.exp(-gamma * np.sqrt(sq)), rtol=1e-7, atol=1e-12):
        fail(f"{label} uses the distance ||x - y||, not its square: the RBF kernel is "
             "exp(-gamma * ||x - y||**2).")
    if np.allclose(got, np.exp(-sq / gamma), rtol=1e-7, atol=1e-12):
        fail(f"{label} divides by gamma: in scikit-learn's convention gamma multiplies the "
             "squared distance (a large gamma means a narrow bell), it is not a width.")
    if np.any(got > 1 + 1e-12):
        fail(f"{label} has values above 1, but a similarity is largest (exactly 1) for two "
             "equal points: the exponent must be minus gamma times the squared distance.")


def check(learner, ctx):
    fn = require_function(learner, "rbf_kernel")
    _forbid_helpers(fn)
    rng = ctx.rng(11)
    cases = [
        (rng.normal(size=(5, 3)), rng.normal(size=(7, 3)), 0.5),
        (rng.normal(size=(1, 2)), rng.normal(size=(4, 2)) * 2, 2.0),
        (rng.uniform(-1, 1, size=(6, 4)), rng.uniform(-1, 1, size=(3, 4)), 0.25),
        (rng.normal(size=(30, 8)) * 0.3, rng.normal(size=(20, 8)) * 0.3, 3.0),
    ]
    same = rng.normal(size=(9, 2))
    cases.append((same, same, 1.5))
    for number, (X, Y, gamma) in enumerate(cases, start=1):
        label = f"rbf_kernel(X, Y, gamma={gamma}) on test input #{number} " \
                f"(X: {X.shape}, Y: {Y.shape})"
        X0, Y0 = X.copy(), Y.copy()
        got = fn(X, Y, gamma)
        if not (np.array_equal(X, X0) and np.array_equal(Y, Y0)):
            fail(f"{label}: your function changed X or Y in place; leave the inputs as they "
                 "were.")
        if got is None:
            fail(f"{label} returned None: did you forget to `return` the matrix?")
        got = as_array(got).astype(np.float64)
        want = sklearn_rbf_kernel(X0, Y0, gamma=gamma)
        if got.shape == want.shape and np.allclose(got, want, rtol=1e-7, atol=1e-12):
            continue
        _diagnose(label, got, X0, Y0, gamma)
        try:
            expect_close("K", got, want, rtol=1e-7, atol=1e-12)
        except CheckFailed as exc:
            fail(f"{label}: {exc.message}")
    X = np.linspace(-3, 3, 121)[:, None]
    ctx.report.plot("your kernel, gamma=1", as_array(fn(X, np.zeros((1, 1)), 1.0))[:, 0],
                    X[:, 0], title="similarity to the point 0")
