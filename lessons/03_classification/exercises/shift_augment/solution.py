"""Data augmentation: grow the training set with copies of each digit shifted by one pixel."""

import numpy as np

from homl_tui import report

SIDE = 8                                      # the digits are 8 x 8 images, flattened to 64
SHIFTS = [(-1, 0), (1, 0), (0, -1), (0, 1)]   # (dy, dx): up, down, left, right


def shift_images(X, dy, dx):
    """Shift every image (a row of 64 pixels) by dy rows and dx columns, filling with 0.

    dy > 0 moves the content down, dx > 0 moves it right; pixels pushed over an edge are
    lost (nothing wraps around). Returns a new array with the shape and dtype of X.
    """
    images = np.asarray(X).reshape(-1, SIDE, SIDE)
    out = np.zeros_like(images)
    rows_to, rows_from = _spans(dy)
    cols_to, cols_from = _spans(dx)
    out[:, rows_to, cols_to] = images[:, rows_from, cols_from]
    return out.reshape(np.shape(X))


def _spans(d):
    """Destination and source slices along one axis for a shift by d (|d| <= SIDE)."""
    return slice(max(d, 0), SIDE + min(d, 0)), slice(max(-d, 0), SIDE - max(d, 0))


def augment(X, y):
    """The original images followed by one shifted copy per entry of SHIFTS, in that order.

    Returns (X_aug, y_aug) with 5 * len(X) rows: block 0 is X itself, block k + 1 is X
    shifted by SHIFTS[k], and every block carries the labels y in the same order.
    """
    blocks = [np.asarray(X)] + [shift_images(X, dy, dx) for dy, dx in SHIFTS]
    return np.concatenate(blocks), np.tile(np.asarray(y), len(blocks))


if __name__ == "__main__":
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    from sklearn.neighbors import KNeighborsClassifier

    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y,
                                                        random_state=0)
    X_aug, y_aug = augment(X_train, y_train)
    print(f"training set: {X_train.shape} -> {X_aug.shape}, labels {y_aug.shape}")

    # One digit and its four shifted copies, side by side (a blank column between them).
    n = len(X_train)
    copies = [X_aug[k * n].reshape(SIDE, SIDE) for k in range(5)]
    gap = np.zeros((SIDE, 1))
    strip = np.hstack([part for c in copies for part in (c, gap)][:-1])
    report.plot("shifts", strip, kind="image",
                title=f"a {y_train[0]}: original, up, down, left, right")

    # Test digits written a little off-centre: each moved one pixel in a random direction.
    rng = np.random.default_rng(0)
    moves = rng.integers(0, len(SHIFTS), size=len(X_test))
    X_moved = np.vstack([shift_images(X_test[i:i + 1], *SHIFTS[m]) for i, m in enumerate(moves)])

    results = {}
    for name, (Xt, yt) in {"original": (X_train, y_train), "augmented": (X_aug, y_aug)}.items():
        knn = KNeighborsClassifier(n_neighbors=3).fit(Xt, yt)
        results[name] = (knn.score(X_test, y_test), knn.score(X_moved, y_test))
        print(f"trained on {name:9s}: accuracy {results[name][0]:.3f} on the test digits, "
              f"{results[name][1]:.3f} on the same digits shifted by one pixel")
    report.plot("accuracy", [results["original"][1], results["augmented"][1]],
                ["original", "augmented"], kind="bar",
                title="accuracy on shifted test digits")
