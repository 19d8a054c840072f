"""Check pairwise_sq_dists(X, Y) in torch: no Python loops, shape (n, m), dtype kept,
values, and no negative entries on points far from the origin (where the expansion
|x|^2 + |y|^2 - 2 x.y loses precision in float32).

Tolerances: float32 cases compare with rtol 1e-4 / atol 1e-4 (the expansion formula, clamped,
is off by about 1e-6 on unit-scale data); the far-from-origin case (coordinates near 100,
|x|^2 near 1e5) allows atol 0.1, since float32 keeps about 7 significant digits of 1e5.
"""

import ast
import inspect
import textwrap

import numpy as np

from homl_tui.checks import (
    CheckFailed,
    as_array,
    describe,
    expect_close,
    expect_dtype,
    expect_type,
    fail,
    require_function,
)

LOOPS = (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.DictComp,
         ast.GeneratorExp)


def _forbid_loops(fn):
    try:
        source = textwrap.dedent(inspect.getsource(fn))
        first = fn.__code__.co_firstlineno
    except (OSError, TypeError, AttributeError):
        return
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, LOOPS):
            kind = {ast.For: "a for loop", ast.While: "a while loop"}.get(
                type(node), "a comprehension (a loop in disguise)")
            fail(f"pairwise_sq_dists uses {kind} (line {first + node.lineno - 1}). Python "
                 "loops over points are slow and are not needed: add new axes with None and "
                 "let broadcasting build the (n, m, d) differences.")


def _reference(X, Y):
    Xd, Yd = X.double(), Y.double()
    return ((Xd[:, None, :] - Yd[None, :, :]) ** 2).sum(-1).numpy()


def _one_case(fn, X, Y, number, atol, rtol):
    import torch

    n, m = X.shape[0], Y.shape[0]
    label = "pairwise_sq_dists(X, Y)"
    where = f"On test input #{number} (X: {describe(X)}, Y: {describe(Y)})"
    X0, Y0 = X.clone(), Y.clone()
    got = fn(X, Y)
    try:
        if not (torch.equal(X, X0) and torch.equal(Y, Y0)):
            fail("your function changed X or Y in place. Leave the inputs as they were.")
        expect_type(label, got, torch.Tensor, "torch.Tensor")
        shape = tuple(got.shape)
        if shape != (n, m):
            if shape == (m, n) and n != m:
                fail(f"`{label}` has shape {shape}: it is transposed. X's points should run "
                     "along axis 0 (rows) and Y's along axis 1 (columns): check where you "
                     "inserted the new axes.")
            fail(f"`{label}` has shape {shape}, but it needs one row per point of X and one "
                 "column per point of Y. Sum the squared differences over the last axis "
                 "(the d coordinates), not over the points.")
        expect_dtype(label, got, str(X.dtype).replace("torch.", ""))
        values = as_array(got).astype(np.float64)
        expected = _reference(X, Y)
        negative = values < 0
        if negative.any():
            worst = np.unravel_index(int(np.argmin(values)), values.shape)
            fail(f"`{label}` has {int(negative.sum())} negative entries (the most negative is "
                 f"{values[worst]:.3g} at index {tuple(int(i) for i in worst)}), but a squared "
                 "distance is never negative. With |x|^2 + |y|^2 - 2 x.y, rounding in float32 "
                 "cancels below zero for nearby points far from the origin: clamp the result "
                 "at 0, or compute the differences directly by broadcasting.")
        if n == m and not np.allclose(values, expected, rtol=rtol, atol=atol) and np.allclose(
                values.T, expected, rtol=rtol, atol=atol):
            fail(f"`{label}` is transposed: entry [i, j] must compare X[i] with Y[j], so "
                 "X's points run along axis 0 and Y's along axis 1. Check where you inserted "
                 "the new axes.")
        expect_close(label, values, expected, rtol=rtol, atol=atol)
    except CheckFailed as exc:
        fail(f"{where}: {exc.message}")


def check(learner, ctx):
    import torch

    fn = require_function(learner, "pairwise_sq_dists")
    _forbid_loops(fn)
    rng = ctx.rng(1)

    def t(a, dtype):
        return torch.from_numpy(np.asarray(a)).to(dtype)

    cases = [
        (t(rng.normal(size=(5, 3)), torch.float32), t(rng.normal(size=(7, 3)), torch.float32),
         1e-4, 1e-4),
        (t(rng.normal(size=(6, 4)), torch.float64), t(rng.normal(size=(6, 4)), torch.float64),
         1e-10, 1e-8),
        (t(rng.integers(-5, 6, size=(3, 2)), torch.float32),
         t(rng.integers(-5, 6, size=(9, 2)), torch.float32), 1e-4, 1e-4),
        (t(rng.normal(size=(40, 16)), torch.float32), t(rng.normal(size=(30, 16)),
                                                         torch.float32), 1e-4, 1e-4),
    ]
    far = t(100.0 + rng.normal(size=(128, 8)), torch.float32)
    cases.append((far, far, 0.1, 1e-4))
    for number, (X, Y, atol, rtol) in enumerate(cases, start=1):
        _one_case(fn, X, Y, number, atol, rtol)
