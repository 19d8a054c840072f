"""Mutant: the textbook rule for labels in {-1, +1}, applied to labels in {0, 1}.

The perceptron learning rule on a linearly separable data set."""

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


# ---- The perceptron. ----

def predict(X, w, b):
    """Class 1 where X @ w + b >= 0, else 0, as an int64 tensor of shape (n,)."""
    return (X @ w + b >= 0).long()


def perceptron_fit(X, y, epochs=EPOCHS, lr=1.0):
    """Rosenblatt's rule: visit the samples in order; after each prediction y_hat,
    w += lr * (y - y_hat) * x and b += lr * (y - y_hat). Stop after the first epoch
    without a mistake. Returns (w, b, mistakes), mistakes = one count per epoch."""
    w = torch.zeros(X.shape[1], dtype=X.dtype)
    b = torch.zeros((), dtype=X.dtype)
    mistakes = []
    for epoch in range(epochs):
        count = 0
        for x_i, y_i in zip(X, y, strict=True):
            if float(y_i) * float(x_i @ w + b) <= 0:  # "misclassified" when y * score <= 0
                w += lr * float(y_i) * x_i
                b += lr * float(y_i)
                count += 1
        mistakes.append(count)
        report.metric(step=epoch, mistakes=count)
        report.progress(epoch + 1, epochs)
        if count == 0:
            break
    return w, b, mistakes


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
