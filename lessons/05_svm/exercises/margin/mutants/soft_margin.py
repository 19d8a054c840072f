import numpy as np
from sklearn.svm import SVC


def hard_margin_svm(X, y):
    # Mistake: the default C=1 is a soft margin; it lets points into the street.
    model = SVC(kernel="linear").fit(X, y)
    width = 2.0 / np.linalg.norm(model.coef_[0])
    return model, width, len(model.support_vectors_)
