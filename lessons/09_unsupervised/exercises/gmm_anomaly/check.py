"""Check best_n_components (BIC) and detect (Gaussian-mixture anomaly detection).

Data (the generators of the reference file): rng = default_rng(42); 600 normal training
points (three elongated Gaussian blobs), then a held-out batch of 400 new normal points and
40 anomalies drawn uniformly over a box around the blobs (some land inside them), shuffled.
1. best_n_components(X_train, [1..6], 42): the BICs must match GaussianMixture(k, n_init=2,
   random_state=42) (1e-6) and the best k must be the lowest one (3). Picking the highest BIC,
   or ranking by log-likelihood (which always grows with k), is named.
2. detect(X_train, X_new, 3, 42): the flags must be exactly "log-density below a threshold"
   (flagging the highest densities is named); on the training data itself about PERCENT%
   (1-3% for 2%) must be flagged (a percentile taken from the wrong end or with percent/100
   is caught); a point's flag must not change when the batch changes (a threshold computed
   on the new data is caught); then on the held-out batch: ROC AUC of -log_density >= 0.90,
   recall of the anomalies >= 0.60, false-positive rate on new normal points <= 0.06.
Reference (n_components 3), data seeds 0..7 and 42: AUC 0.965 0.946 0.973 0.961 0.967 0.949
0.942 0.964, 0.965 (min 0.942); recall 0.70-0.875 (0.70 at seed 42); false-positive rate
0.010-0.033; BIC picks 3 components every time.
Reference check time (lint -v, process start included): about 2 s (15 small GaussianMixture fits).
"""

import numpy as np
from sklearn.metrics import roc_auc_score
from sklearn.mixture import GaussianMixture

from homl_tui.checks import (
    CheckFailed,
    expect_at_least,
    expect_at_most,
    expect_close,
    fail,
    require_function,
)

SEED = 42
CANDIDATES = [1, 2, 3, 4, 5, 6]
AUC_BAR = 0.90
RECALL_BAR = 0.60
FPR_MAX = 0.06


def _data(ref):
    rng = np.random.default_rng(SEED)
    X_train = ref.make_normal(600, rng)
    X_new = np.vstack([ref.make_normal(400, rng), ref.make_anomalies(40, rng)])
    truth = np.r_[np.zeros(400, dtype=int), np.ones(40, dtype=int)]
    order = rng.permutation(len(X_new))
    return X_train, X_new[order], truth[order]


def _check_bic(fn, X):
    where = f"best_n_components(X_train, {CANDIDATES}, {SEED})"
    out = fn(X.copy(), list(CANDIDATES), SEED)
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        fail(f"{where} should return (best_k, bics); it returned a {type(out).__name__}.")
    best, values = out
    values = np.asarray(values, dtype=float)
    if values.shape != (len(CANDIDATES),):
        fail(f"{where}: bics has shape {values.shape}; it should hold one BIC per candidate.")
    models = [GaussianMixture(n_components=k, n_init=2, random_state=SEED).fit(X)
              for k in CANDIDATES]
    bics = np.array([m.bic(X) for m in models])
    scores = np.array([m.score(X) for m in models])
    if np.allclose(values, scores, rtol=1e-6) or np.allclose(values, scores * len(X), rtol=1e-6):
        fail(f"{where}: your values are the log-likelihood of each model. The likelihood "
             "always improves with more components, so it cannot choose a number of "
             "components. Use the BIC (gmm.bic(X)), which adds a penalty for every parameter.")
    try:
        expect_close("bics", values, bics, rtol=1e-6)
    except CheckFailed as exc:
        fail(f"{where}: {exc.message} Fit GaussianMixture(n_components=k, n_init=2, "
             "random_state=seed) for each k and use its .bic(X).")
    right = CANDIDATES[int(np.argmin(bics))]
    if best != right:
        if best == CANDIDATES[int(np.argmax(bics))]:
            fail(f"{where}: best_k is {best!r}, the model with the HIGHEST BIC. The BIC is a "
                 "cost (a penalty minus the log-likelihood): lower is better.")
        fail(f"{where}: best_k is {best!r}, which is not the candidate with the lowest BIC.")


def check(learner, ctx):
    X_train, X_new, truth = _data(ctx.reference)
    _check_bic(require_function(learner, "best_n_components"), X_train)

    fn = require_function(learner, "detect")
    where = f"detect(X_train, X_new, 3, {SEED})"
    out = fn(X_train.copy(), X_new.copy(), 3, SEED)
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        fail(f"{where} should return (is_anomaly, log_density); it returned a "
             f"{type(out).__name__}.")
    flags, log_density = (np.asarray(v) for v in out)
    if flags.shape != (len(X_new),) or log_density.shape != (len(X_new),):
        fail(f"{where}: is_anomaly has shape {flags.shape} and log_density "
             f"{log_density.shape}; both should hold one value per new point ({len(X_new)}).")
    flags = flags.astype(bool)
    log_density = log_density.astype(float)
    if not np.all(np.isfinite(log_density)):
        fail(f"{where}: log_density contains NaN or infinite values.")

    auc = roc_auc_score(truth, -log_density)
    if auc <= 1 - AUC_BAR:
        fail(f"{where}: your log_density is HIGH for the anomalies: it looks negated. Return "
             "the log-density itself (gmm.score_samples), which is high where the normal data "
             "is dense.")
    if flags.any() and not flags.all():
        if log_density[flags].min() > log_density[~flags].max():
            fail(f"{where}: you flagged the points of HIGHEST density, the most typical ones. "
                 "An anomaly lives where the density is LOW: flag the points whose "
                 "log-density is below the threshold.")
        if log_density[flags].max() >= log_density[~flags].min():
            fail(f"{where}: the flagged points are not simply those with the lowest "
                 "log-density. Flag exactly the points whose log-density is below one "
                 "threshold.")

    own, _ = (np.asarray(v) for v in fn(X_train.copy(), X_train.copy(), 3, SEED))
    share = float(np.mean(own.astype(bool)))
    if share > 0.5:
        fail(f"{where}: on the training data itself you flag {share:.0%} of the points; about "
             f"{ctx.reference.PERCENT:g}% should be. The threshold comes from the wrong end "
             "of the distribution: the LOW densities are the rare ones.")
    if not 0.01 <= share <= 0.03:
        fail(f"{where}: on the training data itself you flag {share:.1%} of the points; about "
             f"{ctx.reference.PERCENT:g}% should be (that is how the threshold is defined). "
             "np.percentile takes a percentage between 0 and 100, not a fraction.")

    clean = np.flatnonzero(truth == 0)[:150]
    again, _ = (np.asarray(v) for v in fn(X_train.copy(), X_new[clean].copy(), 3, SEED))
    if not np.array_equal(again.astype(bool), flags[clean]):
        fail(f"{where}: the same new points get different flags when they come in a "
             "different batch. The threshold must be fixed from the TRAINING data; computing "
             "it from the new data always flags the same share of them, anomalies or not "
             "(and looks at the test data).")

    recall = float(np.mean(flags[truth == 1]))
    false_alarms = float(np.mean(flags[truth == 0]))
    expect_at_least("ROC AUC of -log_density on the held-out batch", auc, AUC_BAR,
                    "Fit the mixture on the normal training data with the requested number "
                    "of components.")
    expect_at_least("The share of anomalies flagged (recall)", recall, RECALL_BAR)
    expect_at_most("The share of new normal points flagged", false_alarms, FPR_MAX)
    print(f"held-out batch: ROC AUC {auc:.3f}, {recall:.0%} of the anomalies flagged, "
          f"{false_alarms:.1%} false alarms")
