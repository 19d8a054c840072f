"""Mutant: sweeps candidates with `scores > t` but the rule is `scores >= t`.

Pick a decision threshold for a target precision on validation data, then test it honestly."""

import numpy as np

from homl_tui import report

# ---- Done for you. ----

def precision_recall_at(y_true, scores, threshold):
    """Precision and recall when every sample with score >= threshold is predicted positive."""
    y_true = np.asarray(y_true).astype(bool)
    predicted = np.asarray(scores) >= threshold
    tp = np.sum(y_true & predicted)
    precision = tp / predicted.sum() if predicted.any() else 0.0
    recall = tp / y_true.sum() if y_true.any() else 0.0
    return float(precision), float(recall)


# ---- Your part. ----

def threshold_for_precision(y_true, scores, min_precision=0.9):
    """The threshold with the highest recall among those whose precision is >= min_precision.

    A sample is predicted positive when its score is >= the threshold. Return one of the
    scores (a float). You may assume that at least one threshold reaches min_precision.
    """
    y_true = np.asarray(y_true).astype(bool)
    for t in np.unique(scores):                 # lowest threshold first: best recall
        predicted = scores > t
        if predicted.any() and np.mean(y_true[predicted]) >= min_precision:
            return float(t)
    return float(np.max(scores))

def tune_and_test(y_val, scores_val, y_test, scores_test, min_precision=0.9):
    """Choose the threshold on the validation set, then measure it on the test set.

    Returns (threshold, test_precision, test_recall).
    """
    threshold = threshold_for_precision(y_val, scores_val, min_precision)
    test_precision, test_recall = precision_recall_at(y_test, scores_test, threshold)
    return threshold, test_precision, test_recall


if __name__ == "__main__":
    from sklearn.datasets import load_digits
    from sklearn.linear_model import SGDClassifier
    from sklearn.model_selection import train_test_split

    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    # 60% to train, 20% to choose the threshold (validation), 20% to test it.
    X_train, X_rest, y_train, y_rest = train_test_split(X, y, test_size=0.4, stratify=y,
                                                        random_state=0)
    X_val, X_test, y_val, y_test = train_test_split(X_rest, y_rest, test_size=0.5,
                                                    stratify=y_rest, random_state=0)
    is8 = SGDClassifier(random_state=0).fit(X_train, y_train == 8)
    s_val, s_test = is8.decision_function(X_val), is8.decision_function(X_test)

    p0, r0 = precision_recall_at(y_val == 8, s_val, 0.0)
    print(f"default threshold 0:  validation precision {p0:.3f}  recall {r0:.3f}")
    t, p, r = tune_and_test(y_val == 8, s_val, y_test == 8, s_test, 0.9)
    pv, rv = precision_recall_at(y_val == 8, s_val, t)
    print(f"threshold {t:.3f}:  validation precision {pv:.3f}  recall {rv:.3f}")
    print(f"                   test       precision {p:.3f}  recall {r:.3f}")

    grid = np.sort(s_val)
    curve = np.array([precision_recall_at(y_val == 8, s_val, g) for g in grid])
    report.plot("precision", curve[:, 0], grid, title="validation precision vs threshold")
    report.plot("recall", curve[:, 1], grid, title="validation recall vs threshold")
    report.plot("pr", curve[:, 0], curve[:, 1], title="precision (y) vs recall (x)")
