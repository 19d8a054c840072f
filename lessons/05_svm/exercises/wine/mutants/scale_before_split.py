from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC


def split_and_fit(X, y, seed):
    # Mistake: the scaler is fitted on all rows (test rows included) before the split.
    X_scaled = StandardScaler().fit_transform(X)
    X_train, X_test, y_train, y_test = train_test_split(
        X_scaled, y, test_size=0.25, stratify=y, random_state=seed)
    model = SVC().fit(X_train, y_train)
    return model, X_test, y_test
