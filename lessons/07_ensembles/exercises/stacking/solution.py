"""Stacking: a blender learns how to combine base models from their out-of-fold predictions."""

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import cross_val_predict

from homl_tui import report


def out_of_fold_features(estimators, X, y, cv):
    """The blender's training inputs: shape (n_samples, n_estimators * n_classes).

    For each estimator, the predict_proba of every example comes from a copy of the estimator
    that was trained on the other folds (cross_val_predict with the given cv); the blocks of
    columns are stacked side by side in the order of `estimators`.
    """
    blocks = [cross_val_predict(est, X, y, cv=cv, method="predict_proba") for est in estimators]
    return np.hstack(blocks)


def fit_stacking(estimators, blender, X, y, cv):
    """Train the blender on out-of-fold features, then refit every base estimator on all of X.

    Returns (fitted_estimators, fitted_blender).
    """
    blender.fit(out_of_fold_features(estimators, X, y, cv), y)
    fitted = [clone(est).fit(X, y) for est in estimators]
    return fitted, blender


def predict_stacking(fitted_estimators, blender, X):
    """Predict with a stack: the base models' probabilities, side by side, go to the blender."""
    features = np.hstack([est.predict_proba(X) for est in fitted_estimators])
    return blender.predict(features)


if __name__ == "__main__":
    from sklearn.datasets import load_breast_cancer
    from sklearn.ensemble import RandomForestClassifier, StackingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, train_test_split
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y,
                                                        random_state=0)
    base = [make_pipeline(StandardScaler(), LogisticRegression()),
            RandomForestClassifier(n_estimators=30, random_state=0, n_jobs=1),
            make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=7))]
    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    fitted, blender = fit_stacking(base, LogisticRegression(), X_train, y_train, cv)
    names = ["logreg", "forest", "7-NN"]
    accs = [est.score(X_test, y_test) for est in fitted]
    names.append("stack (yours)")
    accs.append(np.mean(predict_stacking(fitted, blender, X_test) == y_test))
    sk = StackingClassifier(list(zip(names[:3], base, strict=True)), LogisticRegression(),
                            cv=cv, n_jobs=1)
    names.append("StackingClassifier")
    accs.append(sk.fit(X_train, y_train).score(X_test, y_test))
    for name, acc in zip(names, accs, strict=True):
        print(f"{name:>18}: test accuracy {acc:.4f}")
    print("blender weights (one per base-model column):", np.round(blender.coef_[0], 2))
    report.plot("stack", accs, names, kind="bar", title="test accuracy on breast cancer")
