"""Data augmentation: grow the training set with copies of each digit shifted by one pixel.

Press Run to see a digit and its shifted copies, and how much augmentation helps a k-NN
classifier on off-centre test digits; press Check to test your functions.
"""

import numpy as np

from homl_tui import report

SIDE = 8                                      # the digits are 8 x 8 images, flattened to 64
SHIFTS = [(-1, 0), (1, 0), (0, -1), (0, 1)]   # (dy, dx): up, down, left, right


def shift_images(X, dy, dx):
    """Shift every image (a row of 64 pixels) by dy rows and dx columns, filling with 0.

    dy > 0 moves the content down, dx > 0 moves it right; pixels pushed over an edge are
    lost (nothing wraps around). Returns a new array with the shape and dtype of X.
    """
    # TODO 1: reshape X to (n, 8, 8) so that axis 1 is the rows and axis 2 the columns.
    # TODO 2: start from zeros of that shape and copy the part of each image that stays
    #         inside the frame, with slices: for dy = 1, rows 0..6 of the input land on
    #         rows 1..7 of the output (row 0 stays 0). Do the same for the columns with dx.
    #         (np.roll is tempting, but it wraps the pixels around to the other edge.)
    # TODO 3: reshape back to the shape of X and return it (the dtype of X is kept).
    raise NotImplementedError("shift_images: fill in the TODOs")



def augment(X, y):
    """The original images followed by one shifted copy per entry of SHIFTS, in that order.

    Returns (X_aug, y_aug) with 5 * len(X) rows: block 0 is X itself, block k + 1 is X
    shifted by SHIFTS[k], and every block carries the labels y in the same order.
    """
    # TODO 4: the blocks, in order: X, then shift_images(X, dy, dx) for each (dy, dx) in
    #         SHIFTS. Stack them along axis 0.
    # TODO 5: the labels: y once per block, in the same order as the images of a block
    #         (np.tile and np.repeat give different orders: check which one you need).
    raise NotImplementedError("augment: fill in the TODOs")


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
