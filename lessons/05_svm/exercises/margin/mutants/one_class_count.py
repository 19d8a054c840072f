import numpy as np
from sklearn.svm import SVC


def hard_margin_svm(X, y):
    model = SVC(kernel="linear", C=float("inf")).fit(X, y)
    width = 2.0 / np.linalg.norm(model.coef_[0])
    # Mistake: n_support_ holds one count per class; [0] is only the first class.
    return model, width, int(model.n_support_[0])
