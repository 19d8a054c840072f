"""Check make_data: shapes, dtype, reproducibility and the statistics of X and of the noise.

Thresholds (n = 4000 per case, seeded). The column means of X have a standard error of
1/sqrt(4000) = 0.016; over 300 seeds x 5 columns of the reference the largest was 0.075
(4.7 sigma, once; otherwise below 3.3 sigma), so we allow 0.1. That still catches torch.rand
(uniform, mean 0.5). Column standard deviations stayed within 0.037 of 1; we allow [0.9, 1.1]
(uniform draws have 0.29). The residual y - (X @ w + b) must have a mean within
5 * noise / sqrt(n) (+1e-4) of 0 and a standard deviation within 6% of `noise`; over 20 seeds
the reference used at most 48% and 55% of these two allowances.
"""

import torch

from homl_tui.checks import expect_dtype, expect_shape, expect_true, fail, require_function

CASES = [  # (true weights, bias, n, noise, seed)
    ([2.0, -3.4], 4.2, 4000, 0.5, 1),
    ([0.5, -1.0, 3.0, 0.0, 2.0], -1.5, 4000, 0.1, 2),
    ([1.5], 0.7, 4000, 2.0, 3),
]


def _call(make_data, w, b, n, noise, seed):
    g = torch.Generator().manual_seed(seed)
    out = make_data(torch.tensor(w), b, n, noise, g)
    if not isinstance(out, tuple) or len(out) != 2:
        fail("`make_data` should return a pair `X, y`; it returned "
             f"a {type(out).__name__}.")
    X, y = out
    for name, value in (("X", X), ("y", y)):
        if not isinstance(value, torch.Tensor):
            fail(f"`{name}` is a {type(value).__name__}; return torch tensors "
                 "(torch.randn gives you one).")
    return X, y


def check(learner, ctx):
    make_data = require_function(learner, "make_data")
    ctx.reseed()
    for w, b, n, noise, seed in CASES:
        d = len(w)
        X, y = _call(make_data, w, b, n, noise, seed)
        expect_shape("X", X, (n, d))
        if tuple(y.shape) == (n, 1):
            fail(f"`y` has shape {tuple(y.shape)}, a column; this lesson keeps targets 1-D with "
                 "shape (n,). A column y next to (n,) predictions broadcasts into an (n, n) "
                 "matrix later. Do not reshape X @ w.")
        expect_shape("y", y, (n,))
        expect_dtype("X", X, "float32")
        expect_dtype("y", y, "float32")

        X2, y2 = _call(make_data, w, b, n, noise, seed)
        same = torch.equal(X, X2) and torch.equal(y, y2)
        expect_true(same, "Two calls with generators seeded the same way gave different data: "
                    "draw every random number from `generator` "
                    "(torch.randn(..., generator=generator)), not from torch's global generator.")
        X3, _ = _call(make_data, w, b, n, noise, seed + 100)
        expect_true(not torch.equal(X, X3), "Generators with different seeds gave the same X: "
                    "X must be random, drawn from `generator`.")

        means = X.double().mean(dim=0).abs()
        stds = X.double().std(dim=0)
        expect_true(float(means.max()) < 0.1,
                    f"A column of X has mean {float(means.max()):.3g}; standard normal features "
                    "should average about 0. Use torch.randn (not torch.rand, which is uniform).")
        expect_true(float(stds.min()) > 0.9 and float(stds.max()) < 1.1,
                    f"The columns of X have standard deviations between {float(stds.min()):.3g} "
                    f"and {float(stds.max()):.3g}; standard normal features have about 1.")

        wt = torch.tensor(w, dtype=torch.float64)
        resid = y.double() - (X.double() @ wt + b)
        offset = float(resid.mean())
        if abs(offset) > 5 * noise / n ** 0.5 + 1e-4:
            fail(f"On average y is {offset:+.3g} away from X @ w + b (n={n}, d={d}). "
                 "Is the bias b added to every target?")
        spread = float(resid.std())
        if spread < 0.5 * noise:
            fail(f"The noise in y has standard deviation {spread:.3g} with noise={noise}: "
                 "too little. Add noise * (standard normal draws) to y.")
        if abs(spread - noise) > 0.06 * noise:
            fail(f"The noise in y has standard deviation {spread:.3g} with noise={noise} "
                 f"(n={n}, d={d}). `noise` is the standard deviation: multiply standard normal "
                 "draws by it (not by its square), and use X @ w for the noiseless part.")

    X, y = _call(make_data, [1.0, -2.0], 3.0, 50, 0.0, 7)
    expect_shape("y", y, (50,))
    err = float((y.double() - (X.double() @ torch.tensor([1.0, -2.0], dtype=torch.float64)
                               + 3.0)).abs().max())
    expect_true(err < 1e-4, f"With noise=0, y differs from X @ w + b by up to {err:.3g}: "
                "y should be exactly linear in X when there is no noise.")
