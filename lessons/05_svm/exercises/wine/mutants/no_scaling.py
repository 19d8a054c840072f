from sklearn.model_selection import train_test_split
from sklearn.svm import SVC


def split_and_fit(X, y, seed):
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=seed)
    # Mistake: no scaler; proline (hundreds) drowns every other feature in the RBF kernel.
    model = SVC().fit(X_train, y_train)
    return model, X_test, y_test
