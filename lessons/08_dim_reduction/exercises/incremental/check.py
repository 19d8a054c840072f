"""Check iter_batches (on np.memmap files) and fit_incremental (on a one-pass generator).

iter_batches: (rows, batch_size) = (10, 3), (10, 5), (7, 10), (12, 4), read from .npy files
opened with mmap_mode="r"; the batches must be the consecutive slices, last partial one
included.
fit_incremental: the 1797 digits in batches of 150 (the last has 147 rows) with k = 10, and a
seeded low-rank cloud (1000 x 20, batches of 128, k = 3). The check's generator counts how many
earlier batches are still alive each time it makes a new one (a loop over the batches keeps at
most 1; list()/vstack keep them all) and fails above 2.
Quality: the variance of the data kept by the learner's k components, divided by the variance
kept by ordinary PCA's k components. Reference: 0.99903 on the digits, 1.0000 on the cloud.
Mistakes: standardising each batch gives 0.87 on the digits, fitting only the last batch
0.92, only the first 0.92. The bar is 0.99.
"""

import gc
import os
import tempfile
import weakref

import numpy as np
from sklearn.datasets import load_digits

from homl_tui.checks import CheckFailed, as_array, expect_at_least, fail, require_function

KEPT_BAR = 0.99


def _check_batches(iter_batches):
    with tempfile.TemporaryDirectory() as folder:
        for number, (m, b) in enumerate([(10, 3), (10, 5), (7, 10), (12, 4)], start=1):
            path = os.path.join(folder, f"case{number}.npy")
            np.save(path, np.arange(m * 3, dtype=float).reshape(m, 3))
            X = np.load(path, mmap_mode="r")
            where = f"On test input #{number} ({m} rows, batch_size={b})"
            try:
                out = iter_batches(X, b)
                if out is None:
                    fail("iter_batches returned None: use `yield` for every batch (or return "
                         "a list of them).")
                batches = [np.asarray(batch) for batch in out]
                want = [np.asarray(X[s:s + b]) for s in range(0, m, b)]
                rows = sum(len(batch) for batch in batches)
                if any(len(batch) > b for batch in batches):
                    fail(f"a batch has more than batch_size={b} rows.")
                if rows < m and all(len(batch) == b for batch in batches):
                    fail(f"the batches cover {rows} of the {m} rows: the last, smaller batch is "
                         "missing. Step through the starts with range(0, len(X), batch_size) "
                         "and let the last slice stop at the end.")
                if rows != m:
                    fail(f"the batches hold {rows} rows in total, but X has {m}: every row "
                         "should appear in exactly one batch.")
                if len(batches) != len(want) or not all(
                        got.shape == ref.shape and np.array_equal(got, ref)
                        for got, ref in zip(batches, want, strict=True)):
                    fail("the batches are not the consecutive blocks X[0:b], X[b:2b], ... in "
                         "order.")
            except CheckFailed as exc:
                fail(f"{where}: {exc.message}")


class Tracker:
    """A one-pass stream of copied batches that records how many earlier ones stay alive."""

    def __init__(self, X, batch_size):
        self.X, self.batch_size = X, batch_size
        self.max_alive = 0
        self.started = False

    def __iter__(self):
        if self.started:
            fail("fit_incremental looped over `batches` twice. A stream of batches (a "
                 "generator reading from disk) can be read only once: go through it in a "
                 "single loop.")
        self.started = True
        refs = []
        for start in range(0, len(self.X), self.batch_size):
            alive = sum(ref() is not None for ref in refs)
            if alive > 2:  # only pay for a collection when it could change the verdict
                gc.collect()
                alive = sum(ref() is not None for ref in refs)
            self.max_alive = max(self.max_alive, alive)
            batch = np.array(self.X[start:start + self.batch_size])
            refs.append(weakref.ref(batch))
            yield batch
            del batch


def _kept(components, X):
    Xc = X - X.mean(axis=0)
    basis = np.linalg.qr(np.asarray(components, dtype=float).T)[0]
    return float(np.sum((Xc @ basis) ** 2))


def _check_fit(fit_incremental, X, batch_size, k, label):
    stream = Tracker(X, batch_size)
    model = fit_incremental(stream, k)
    if model is None:
        fail(f"{label}: fit_incremental returned None; return the fitted IncrementalPCA.")
    if not hasattr(model, "components_") or not hasattr(model, "n_samples_seen_"):
        fail(f"{label}: fit_incremental returned a {type(model).__name__}; return the fitted "
             "IncrementalPCA model itself.")
    if stream.max_alive > 2:
        fail(f"{label}: {stream.max_alive} earlier batches were still in memory when a new "
             "one was read: the batches are being collected (a list, np.vstack, ...). "
             "Process each batch with partial_fit as it arrives and let it go.")
    seen = int(model.n_samples_seen_)
    m = len(X)
    last = m - ((m - 1) // batch_size) * batch_size
    if seen == last and seen != m:
        fail(f"{label}: the model has seen only {seen} rows, the size of the last batch: "
             "calling fit on every batch starts over each time. Use partial_fit, which "
             "updates the model with one more batch.")
    if seen != m:
        fail(f"{label}: the model has seen {seen} rows, but the stream had {m}. Feed every "
             "batch to the same model with partial_fit.")
    components = as_array(model.components_)
    if components.shape != (k, X.shape[1]):
        fail(f"{label}: components_ has shape {components.shape}; it should be "
             f"({k}, {X.shape[1]}). Create the IncrementalPCA with n_components.")
    from sklearn.decomposition import PCA

    ratio = _kept(components, X) / _kept(PCA(n_components=k).fit(X).components_, X)
    expect_at_least(f"{label}: the variance kept by your components, as a fraction of what "
                    "ordinary PCA keeps,", ratio, KEPT_BAR,
                    "Incremental PCA should find almost the same subspace. Feed the batches "
                    "as they are (no scaling or centring of each batch on its own statistics: "
                    "the model handles the mean), every one of them, to one model.")


def check(learner, ctx):
    _check_batches(require_function(learner, "iter_batches"))
    fit_incremental = require_function(learner, "fit_incremental")
    digits, _ = load_digits(return_X_y=True)
    _check_fit(fit_incremental, digits.astype(float), 150, 10, "Digits in batches of 150")
    rng = ctx.rng(5)
    cloud = (rng.normal(size=(1000, 3)) * [6.0, 4.0, 3.0]) @ rng.normal(size=(3, 20))
    cloud += 0.3 * rng.normal(size=(1000, 20)) + 7.0
    _check_fit(fit_incremental, cloud, 128, 3, "A low-rank cloud in batches of 128")
