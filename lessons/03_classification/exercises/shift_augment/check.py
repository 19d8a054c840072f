"""Check shift_images and augment, then train on the augmented digits.

shift_images is tested on seeded random 8x8 images whose borders are NOT empty (real digits
have blank borders, which would hide a wrap-around), with one-pixel and larger shifts in
every direction. Wrong results are compared with the usual mistakes (np.roll, shifting the
flat 64-pixel rows, dy and dx swapped, the opposite direction) to name the one that matches.
augment: shapes, block order, labels tiled (not repeated).
Finally a 3-nearest-neighbours classifier trained on augment(X_train) must reach 0.95 on
held-out digits that are each shifted one pixel in a random direction. Reference, split seeds
0..5 (moves seed = split seed + 100): 0.984, 0.982, 0.982, 0.982, 0.987, 0.980; without
augmentation 0.62-0.68; with np.repeat labels 0.09-0.13. The check uses split seed 0.
"""

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier

from homl_tui.checks import describe, expect_at_least, fail, require_function

SIDE = 8
SHIFTS = [(-1, 0), (1, 0), (0, -1), (0, 1)]
BAR = 0.95


def _shift(X, dy, dx):
    images = X.reshape(-1, SIDE, SIDE)
    out = np.zeros_like(images)
    for r in range(SIDE):
        for c in range(SIDE):
            if 0 <= r + dy < SIDE and 0 <= c + dx < SIDE:
                out[:, r + dy, c + dx] = images[:, r, c]
    return out.reshape(X.shape)


def _flat_shift(X, k):
    out = np.zeros_like(X)
    if k >= 0:
        out[:, k:] = X[:, :X.shape[1] - k]
    else:
        out[:, :k] = X[:, -k:]
    return out


def _diagnose(got, X, dy, dx):
    images = X.reshape(-1, SIDE, SIDE)
    rolled = np.roll(images, (dy, dx), axis=(1, 2)).reshape(X.shape)
    if np.array_equal(got, rolled):
        return ("pixels pushed over one edge come back on the opposite edge: np.roll wraps "
                "around. Shifted-in pixels must be 0; copy slices into an array of zeros.")
    k = dy * SIDE + dx
    if np.array_equal(got, np.roll(X, k, axis=1)) or np.array_equal(got, _flat_shift(X, k)):
        return ("you shifted the flat rows of 64 pixels, so pixels leaving one image row spill "
                "into the next row. Reshape to (n, 8, 8) and shift rows and columns separately.")
    swapped = (_shift(X, dx, dy), np.roll(images, (dx, dy), axis=(1, 2)).reshape(X.shape))
    if any(np.array_equal(got, s) for s in swapped):
        return ("dy moved the image sideways and dx up or down: the axes are swapped. In an "
                "(n, 8, 8) array axis 1 is the rows (dy) and axis 2 the columns (dx).")
    if np.array_equal(got, _shift(X, -dy, -dx)):
        return "the image moved the opposite way: dy > 0 moves it down and dx > 0 to the right."
    return ""


def _check_shift(fn, ctx):
    rng = ctx.rng(9)
    moves = [(1, 0), (0, 1), (-1, 0), (0, -1), (2, -1), (0, 0), (-3, 2)]
    for number, (dy, dx) in enumerate(moves, start=1):
        X = rng.integers(0, 17, size=(5, SIDE * SIDE)).astype(np.float64)
        where = f"On test input #{number} (X: {describe(X)}, dy={dy}, dx={dx})"
        original = X.copy()
        got = fn(X, dy, dx)
        if not np.array_equal(X, original):
            fail(f"{where} shift_images changed X in place; return a new array instead.")
        if got is None:
            fail(f"{where} shift_images returned None: did you forget to `return`?")
        got = np.asarray(got)
        if got.shape != X.shape:
            fail(f"{where} the result has shape {got.shape}; it should have the shape of X "
                 "(one row of 64 pixels per image).")
        expected = _shift(X, dy, dx)
        if np.array_equal(got, expected):
            continue
        reason = _diagnose(got, X, dy, dx)
        if reason:
            fail(f"{where} {reason}")
        wrong = int(np.sum(got != expected))
        fail(f"{where} {wrong} of {got.size} pixels are not right: the content should move "
             "by dy rows and dx columns, with zeros where nothing moved in.")


def _check_augment(fn, ctx):
    rng = ctx.rng(10)
    X = rng.integers(0, 17, size=(6, SIDE * SIDE)).astype(np.float64)
    y = rng.permutation(6)
    out = fn(X.copy(), y.copy())
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        fail(f"augment should return (X_aug, y_aug); it returned a {type(out).__name__}.")
    X_aug, y_aug = np.asarray(out[0]), np.asarray(out[1])
    n, blocks = len(X), 1 + len(SHIFTS)
    if X_aug.shape != (blocks * n, X.shape[1]):
        fail(f"X_aug has shape {X_aug.shape} for X of shape {X.shape}: it should hold the "
             f"originals plus one copy per shift, {blocks} blocks of {n} rows of 64 pixels.")
    if y_aug.shape != (blocks * n,):
        fail(f"y_aug has shape {y_aug.shape}; it needs one label per row of X_aug.")
    if not np.array_equal(X_aug[:n], X):
        fail(f"The first {n} rows of X_aug (block 0) should be the original images, in order.")
    for k, (dy, dx) in enumerate(SHIFTS, start=1):
        if not np.array_equal(X_aug[k * n:(k + 1) * n], _shift(X, dy, dx)):
            fail(f"Block {k} of X_aug (rows {k * n} to {(k + 1) * n - 1}) should be X shifted "
                 f"by SHIFTS[{k - 1}] = {(dy, dx)}: keep the order of SHIFTS and keep the "
                 "images of a block in the order of X.")
    if np.array_equal(y_aug, np.repeat(y, blocks)):
        fail("y_aug repeats each label several times in a row (np.repeat), but the images come "
             "in blocks, each holding all of X: the labels no longer match their images. "
             "Repeat the whole vector once per block instead (np.tile).")
    if not np.array_equal(y_aug, np.tile(y, blocks)):
        fail("y_aug does not line up with X_aug: row i of a block holds image i of X, so it "
             "needs label y[i].")


def _check_training(fn):
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y,
                                                        random_state=0)
    moves = np.random.default_rng(100).integers(0, len(SHIFTS), size=len(X_test))
    X_moved = X_test.copy()
    for m, (dy, dx) in enumerate(SHIFTS):
        X_moved[moves == m] = _shift(X_test[moves == m], dy, dx)
    X_aug, y_aug = fn(X_train.copy(), y_train.copy())
    accuracy = KNeighborsClassifier(n_neighbors=3).fit(X_aug, y_aug).score(X_moved, y_test)
    expect_at_least("Accuracy of 3-NN trained on your augmented set, on held-out digits shifted "
                    "by one pixel", accuracy, BAR)
    print(f"3-NN trained on augment(X_train): {accuracy:.3f} on shifted held-out digits")


def check(learner, ctx):
    _check_shift(require_function(learner, "shift_images"), ctx)
    augment = require_function(learner, "augment")
    _check_augment(augment, ctx)
    _check_training(augment)
