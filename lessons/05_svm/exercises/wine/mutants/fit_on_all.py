from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC


def split_and_fit(X, y, seed):
    # Mistake: "use all the data for the final model", then split for the score; the model
    # has already seen every test row.
    model = make_pipeline(StandardScaler(), SVC()).fit(X, y)
    _, X_test, _, y_test = train_test_split(X, y, test_size=0.25, stratify=y, random_state=seed)
    return model, X_test, y_test
