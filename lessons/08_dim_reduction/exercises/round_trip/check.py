"""Check compress / decompress (by hand, on a stand-in PCA object with seeded random mean and
orthonormal components) and held_out_reconstruction_mse on a seeded split of the digits.

compress/decompress: (m, n, k) = (20, 6, 3) and (7, 10, 10); rtol 1e-7, atol 1e-9 (pure
linear algebra). The stand-in refuses transform/inverse_transform, so the learner must use
mean_ and components_.
held_out_reconstruction_mse: digits split 70/30 with random_state = the exercise seed,
k = 10 and 25, compared with sklearn's PCA fitted on the training part (inverse_transform of
transform of the test part); rtol 1e-6. For the record (seed 12): the held-out MSE is 4.94
for k = 10 and 1.30 for k = 25; fitting on the test part gives 4.76 and 1.17 (too
optimistic), the training error 4.93 and 1.26. The values differ by far more than the
tolerance, so the check recomputes those mistakes to name the one that matches.
"""

import numbers

import numpy as np
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.model_selection import train_test_split

from homl_tui.checks import (
    CheckFailed,
    as_array,
    describe,
    expect_close,
    expect_finite,
    expect_shape,
    fail,
    require_function,
)


class StandInPCA:
    """A fitted PCA reduced to what compress/decompress need: mean_ and components_."""

    def __init__(self, mean, components):
        self.mean_ = mean
        self.components_ = components
        self.n_components_, self.n_features_in_ = components.shape

    def transform(self, X):
        fail("compress called pca.transform. Do the projection yourself with pca.mean_ and "
             "pca.components_: that is what this exercise is about.")

    def inverse_transform(self, Z):
        fail("decompress called pca.inverse_transform. Map the coordinates back yourself "
             "with pca.components_ and pca.mean_: that is what this exercise is about.")

    def fit(self, *args, **kwargs):
        fail("compress/decompress refitted the PCA they were given. Use the fitted pca as it "
             "is: its mean_ and components_ are all you need.")

    fit_transform = fit


def _close(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-6, atol=1e-8)


def _check_linear(compress, decompress, rng):
    for number, (m, n, k) in enumerate([(20, 6, 3), (7, 10, 10)], start=1):
        mean = rng.uniform(2.0, 9.0, size=n)
        components = np.linalg.qr(rng.normal(size=(n, k)))[0].T
        pca = StandInPCA(mean, components)
        X = rng.normal(size=(m, n)) * 3 + mean
        Z = rng.normal(size=(m, k)) * 2
        where = f"On test input #{number} (X: {describe(X)}, {k} components)"
        try:
            got = compress(X.copy(), pca)
            want = (X - mean) @ components.T
            if got is None:
                fail("compress returned None: did you forget to `return` the result?")
            got = as_array(got)
            if got.shape != want.shape:
                fail(f"compress returned shape {got.shape}; it should be (m, k) = {want.shape}: "
                     "one coordinate per component for every example. Multiply by the "
                     "TRANSPOSE of components_.")
            expect_finite("compress(X, pca)", got)
            if not _close(got, want) and _close(got, X @ components.T):
                fail("compress projects the raw data. The components describe the data "
                     "AROUND its mean: subtract pca.mean_ before projecting.")
            expect_close("compress(X, pca)", got, want, rtol=1e-7, atol=1e-9)

            got = decompress(Z.copy(), pca)
            want = Z @ components + mean
            if got is None:
                fail("decompress returned None: did you forget to `return` the result?")
            got = as_array(got)
            expect_shape("decompress(Z, pca)", got, want.shape)
            expect_finite("decompress(Z, pca)", got)
            if not _close(got, want):
                if _close(got, Z @ components):
                    fail("decompress forgets the mean: Z @ components_ lives around the "
                         "origin, where compress put the data after centring it. Add "
                         "pca.mean_ back.")
                if _close(got, Z @ components - mean):
                    fail("decompress subtracts the mean; it should ADD pca.mean_ back to undo "
                         "the centring.")
            expect_close("decompress(Z, pca)", got, want, rtol=1e-7, atol=1e-9)
        except CheckFailed as exc:
            fail(f"{where}: {exc.message}")


def _mse(fit_on, X_eval, k):
    pca = PCA(n_components=k).fit(fit_on)
    return float(np.mean((X_eval - pca.inverse_transform(pca.transform(X_eval))) ** 2))


def _check_held_out(fn, ctx):
    X, _ = load_digits(return_X_y=True)
    X_train, X_test = train_test_split(X.astype(float), test_size=0.3, random_state=ctx.seed)
    for k in (10, 25):
        got = fn(X_train.copy(), X_test.copy(), k)
        label = f"held_out_reconstruction_mse(X_train, X_test, {k})"
        if got is None:
            fail(f"{label} returned None: did you forget to `return` the error?")
        if isinstance(got, bool) or not isinstance(got, (numbers.Real, np.ndarray)) \
                or np.ndim(got) != 0:
            fail(f"{label} should return one number (a float); it returned "
                 f"{describe(got)}.")
        got = float(got)
        want = _mse(X_train, X_test, k)
        if np.isclose(got, want, rtol=1e-6):
            continue
        if np.isclose(got, _mse(X_test, X_test, k), rtol=1e-6):
            fail(f"{label}: the PCA was fitted on the test set. The test set stands for data "
                 "the model has never seen; fit on X_train and only transform X_test, or the "
                 "error will look better than it really is.")
        if np.isclose(got, _mse(np.vstack([X_train, X_test]), X_test, k), rtol=1e-6):
            fail(f"{label}: the PCA was fitted on the training AND the test set. Fit on "
                 "X_train only: anything learned from the test set leaks into the score.")
        if np.isclose(got, _mse(X_train, X_train, k), rtol=1e-6):
            fail(f"{label}: you measured the error on the training set, the data the PCA was "
                 "fitted on. Send X_test through compress and decompress instead.")
        if np.isclose(got, np.sqrt(want), rtol=1e-6):
            fail(f"{label}: this looks like a root mean squared error. Return the mean of the "
                 "squared differences, without the square root.")
        if np.isclose(got, want * X.shape[1], rtol=1e-6) or np.isclose(
                got, want * X_test.size, rtol=1e-6):
            fail(f"{label}: the squared differences are summed where they should be averaged. "
                 "Take the mean over every pixel of every test example.")
        expect_close(label, got, want, rtol=1e-6)


def check(learner, ctx):
    compress = require_function(learner, "compress")
    decompress = require_function(learner, "decompress")
    held_out = require_function(learner, "held_out_reconstruction_mse")
    _check_linear(compress, decompress, ctx.rng(4))
    _check_held_out(held_out, ctx)
