"""Check n_components_for_variance(X, threshold) on the digits and on seeded synthetic data.

Cases: the 1797 digits (64 pixels) at thresholds 0.95, 0.8, 0.5 and 0.99, then a seeded
Gaussian cloud of 400 x 30 with a decaying spectrum at 0.9 and 0.3. The answers are exact
integers, so there is no tolerance; when one is wrong, the check recomputes the usual mistakes
(index instead of count, ratios of singular values, raw variances) to name the one that matches.
"""

import numbers

import numpy as np
from sklearn.datasets import load_digits

from homl_tui.checks import CheckFailed, describe, fail, require_function


def _ratios(X):
    s = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
    return s, s ** 2 / (s ** 2).sum()


def _first(cumulative, threshold):
    reached = cumulative >= threshold
    return int(np.argmax(reached)) + 1 if reached.any() else len(cumulative)


def _diagnose(got, X, threshold):
    s, ratio = _ratios(X)
    want = _first(np.cumsum(ratio), threshold)
    if got == want:
        return
    if got == want - 1:
        fail(f"Your answer is one short{' (0 components keep nothing)' if got == 0 else ''}. "
             "np.argmax gives the INDEX of the first component that reaches the threshold, "
             "counting from 0; the number of components up to and including it is that index "
             "plus one.")
    if got == _first(np.cumsum(s / s.sum()), threshold):
        fail("Your answer matches a running total of the singular values' shares. Singular "
             "values are not variances: the variance along a component is proportional to its "
             "singular value SQUARED (explained_variance_ratio_ already is).")
    variances = s ** 2 / (len(X) - 1)
    if got == _first(np.cumsum(variances), threshold):
        fail("Your answer matches a running total of the variances themselves "
             "(explained_variance_), which are in the units of the data, not fractions. "
             "Accumulate the explained variance RATIOS, which add up to 1.")
    fail(f"Your answer, {got}, is not the smallest number of components whose explained "
         "variance ratios add up to the threshold. Accumulate the ratios with np.cumsum and "
         "find where the running total first reaches the threshold.")


def check(learner, ctx):
    fn = require_function(learner, "n_components_for_variance")
    digits, _ = load_digits(return_X_y=True)
    digits = digits.astype(float)
    rng = ctx.rng(3)
    cloud = rng.normal(size=(400, 30)) * np.geomspace(10.0, 0.1, 30) + 3.0
    cases = [(digits, 0.95), (digits, 0.8), (digits, 0.5), (digits, 0.99),
             (cloud, 0.9), (cloud, 0.3)]
    for number, (X, threshold) in enumerate(cases, start=1):
        got = fn(X.copy(), threshold)
        where = f"On test input #{number} (X: {describe(X)}, threshold={threshold})"
        try:
            if isinstance(got, bool) or not isinstance(got, numbers.Integral):
                if isinstance(got, numbers.Real) and float(got).is_integer():
                    fail(f"the result is a {type(got).__name__}; return a whole number of "
                         "components as an int (int(...)).")
                fail(f"the result is {type(got).__name__} {got!r:.40}; it should be a whole "
                     "number of components (an int).")
            _diagnose(int(got), X, threshold)
        except CheckFailed as exc:
            fail(f"{where}: {exc.message}")
