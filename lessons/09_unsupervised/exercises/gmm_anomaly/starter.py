"""Anomaly detection with a Gaussian mixture: density, BIC and a threshold.

Press Run to choose the number of components with the BIC and to flag anomalies in new data;
press Check to test both on a held-out batch with injected anomalies.
"""

import numpy as np
from sklearn.mixture import GaussianMixture

from homl_tui import report

PERCENT = 2.0   # the share of the TRAINING data we accept to flag (in %)

_CENTERS = np.array([[0.0, 0.0], [4.0, 3.0], [-3.0, 4.0]])
_COVS = np.array([[[1.0, 0.6], [0.6, 0.8]], [[0.5, -0.3], [-0.3, 1.2]], [[0.3, 0.0], [0.0, 0.3]]])


def make_normal(n, rng):
    """n normal points: three elongated Gaussian blobs (weights 0.5, 0.3, 0.2)."""
    component = rng.choice(3, size=n, p=[0.5, 0.3, 0.2])
    X = np.empty((n, 2))
    for k in range(3):
        mask = component == k
        X[mask] = rng.multivariate_normal(_CENTERS[k], _COVS[k], size=int(mask.sum()))
    return X


def make_anomalies(n, rng):
    """n anomalies: uniform over a box around the blobs (a few land inside them)."""
    return rng.uniform([-7.0, -5.0], [9.0, 9.0], size=(n, 2))


def best_n_components(X, candidates, seed):
    """Fit GaussianMixture(n_components=k, n_init=2, random_state=seed) for each k in candidates.

    Returns (best_k, bics): bics[i] is the BIC of the model with candidates[i] components on X,
    and best_k is the candidate with the LOWEST BIC.
    """
    # TODO 1: for every k in candidates, fit the GaussianMixture described above on X and
    #         record gmm.bic(X) (a float).
    # TODO 2: return the candidate with the lowest BIC (the k itself), and the list of BICs.
    raise NotImplementedError("best_n_components: fill in the TODOs")


def detect(X_train, X_new, n_components, seed, percent=PERCENT):
    """Flag the points of X_new whose density is unusually low.

    Fit GaussianMixture(n_components=n_components, n_init=2, random_state=seed) on X_train
    (normal data only). The threshold is the `percent`-th percentile of the log-densities of
    the TRAINING points, so about `percent`% of normal points fall below it. A new point is an
    anomaly when its log-density is below the threshold.
    Returns (is_anomaly, log_density): a bool array and a float array, one entry per new point.
    """
    # TODO 3: fit the GaussianMixture described above on X_train.
    # TODO 4: gmm.score_samples(X) gives the log-density of every row of X. Take the
    #         threshold from the TRAINING points: np.percentile(..., percent), where
    #         percent is a number between 0 and 100.
    # TODO 5: compute the log-densities of X_new and flag those BELOW the threshold.
    #         Return (is_anomaly, log_density).
    raise NotImplementedError("detect: fill in the TODOs")


if __name__ == "__main__":
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(0)
    X_train = make_normal(600, rng)
    best, bics = best_n_components(X_train, list(range(1, 7)), seed=0)
    print("BIC for 1..6 components:", [round(b) for b in bics], "-> best:", best)
    report.plot("bic", bics, list(range(1, 7)), kind="line", title="BIC (lower is better)",
                xlabel="n_components", ylabel="BIC")

    X_new = np.vstack([make_normal(400, rng), make_anomalies(40, rng)])
    truth = np.r_[np.zeros(400, dtype=int), np.ones(40, dtype=int)]
    flags, log_density = detect(X_train, X_new, best, seed=0)
    print(f"ROC AUC of the log-density on new data: {roc_auc_score(truth, -log_density):.3f}")
    print(f"flagged {np.mean(flags[truth == 0]):.1%} of the new normal points and "
          f"{np.mean(flags[truth == 1]):.0%} of the anomalies")
    report.plot("training data", X_train[:, 1], X_train[:, 0], kind="scatter",
                title="normal training data")
    # 0 = normal and not flagged, 1 = flagged, 2 = a real anomaly that was missed
    shown = np.where(flags, 1, np.where(truth == 1, 2, 0))
    report.plot("detections", X_new[:, 1], X_new[:, 0], kind="scatter", labels=shown,
                title="new data: 1 = flagged, 2 = missed anomaly")
