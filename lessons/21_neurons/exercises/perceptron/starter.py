"""The perceptron learning rule on a linearly separable data set.

Run this file to train on 200 points and draw the learned line over 500 held-out points
(the Metrics tab shows the mistakes per epoch); Check to test `predict` and `perceptron_fit`.
"""

import torch

from homl_tui import report

EPOCHS = 100


# ---- Done for you: a data set that a straight line separates, with a margin. ----

def make_separable(n, generator, margin=0.1):
    """n points in the square [-1, 1]^2, labelled 1 on one side of a fixed line, else 0.

    Points closer than `margin` to the line are left out, so the classes are separated
    by a gap. Returns X (n, 2) float32 and y (n,) int64 in {0, 1}.
    """
    true_w, true_b = torch.tensor([1.5, -1.0]), 0.25
    X = torch.rand(4 * n, 2, generator=generator) * 2 - 1
    distance = (X @ true_w + true_b) / true_w.norm()
    keep = distance.abs() > margin
    return X[keep][:n], (distance[keep][:n] > 0).long()


# ---- The perceptron: your part. ----

def predict(X, w, b):
    """Class 1 where X @ w + b >= 0, else 0, as an int64 tensor of shape (n,)."""
    # TODO 1: one line, like a TLU, but return int64 labels (.long()).
    raise NotImplementedError("predict: fill in the TODO")


def perceptron_fit(X, y, epochs=EPOCHS, lr=1.0):
    """Rosenblatt's rule: visit the samples in order; after each prediction y_hat,
    w += lr * (y - y_hat) * x and b += lr * (y - y_hat). Stop after the first epoch
    without a mistake. Returns (w, b, mistakes), mistakes = one count per epoch."""
    # TODO 2: start from w = zeros (one weight per feature, X's dtype) and b = 0.
    # TODO 3: for each epoch, go through the samples IN ORDER (no shuffling):
    #           y_hat = 1 if x . w + b >= 0 else 0
    #           error = y - y_hat            (-1, 0 or +1; labels are 0 and 1)
    #           if error is not 0: update w and b as in the docstring, count a mistake
    # TODO 4: after each epoch, append the count to `mistakes`, stream it with
    #           report.metric(step=epoch, mistakes=count); report.progress(epoch + 1, epochs)
    #         and stop if the epoch had no mistake.
    # TODO 5: return w, b, mistakes
    raise NotImplementedError("perceptron_fit: fill in the TODOs")


if __name__ == "__main__":
    g = torch.Generator().manual_seed(0)
    X_train, y_train = make_separable(200, g)
    X_test, y_test = make_separable(500, g)

    w, b, mistakes = perceptron_fit(X_train, y_train)

    print("mistakes per epoch:", mistakes)
    print("w =", [round(v, 3) for v in w.tolist()], " b =", round(float(b), 3))
    accuracy = (predict(X_test, w, b) == y_test).float().mean().item()
    print(f"accuracy on {len(y_test)} held-out points: {accuracy:.3f}")
    report.boundary("perceptron", lambda P: predict(torch.as_tensor(P, dtype=torch.float32),
                                                    w, b),
                    X_test, y_test, title="the perceptron's line on held-out points")
