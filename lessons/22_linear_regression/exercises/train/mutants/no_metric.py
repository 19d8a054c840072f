"""Mutant: never streams the loss, so the app has no live curve.

Linear regression trained from scratch: autograd, minibatches, SGD and a live loss curve."""

import torch

from homl_tui import report

LEARNING_RATE = 0.1  # converges within 2 epochs of batch 10 on this data; 2 or more diverges
EPOCHS = 3
BATCH_SIZE = 10


# ---- Done for you: your solutions to the earlier exercises of this lesson. ----

def make_data(w, b, n, noise, generator):
    X = torch.randn(n, len(w), generator=generator)
    y = X @ w + b + noise * torch.randn(n, generator=generator)
    return X, y


def squared_loss(y_hat, y):
    return ((y_hat - y.reshape(y_hat.shape)) ** 2 / 2).mean()


def data_iter(X, y, batch_size, generator=None):
    order = torch.randperm(X.shape[0], generator=generator)
    for start in range(0, X.shape[0], batch_size):
        idx = order[start:start + batch_size]
        yield X[idx], y[idx]


def sgd_step(params, lr):
    with torch.no_grad():
        for p in params:
            p -= lr * p.grad
            p.grad.zero_()


# ---- The training loop. ----

def train(X, y, lr=LEARNING_RATE, epochs=EPOCHS, batch_size=BATCH_SIZE, generator=None):
    """Fit y ~ X @ w + b by minibatch SGD; return (w, b, losses), one loss per step."""
    w = torch.zeros(X.shape[1], requires_grad=True)
    b = torch.zeros((), requires_grad=True)
    losses = []
    step = 0
    for epoch in range(epochs):
        for X_batch, y_batch in data_iter(X, y, batch_size, generator):
            loss = squared_loss(X_batch @ w + b, y_batch)
            loss.backward()
            sgd_step([w, b], lr)
            losses.append(loss.item())
            step += 1
        report.progress(epoch + 1, epochs)
    return w.detach(), b.detach(), losses


if __name__ == "__main__":
    if LEARNING_RATE is None:
        raise SystemExit("Set LEARNING_RATE at the top of the file first (TODO 1).")
    g = torch.Generator().manual_seed(0)
    true_w, true_b = torch.tensor([2.0, -3.4]), 4.2
    X, y = make_data(true_w, true_b, 1000, 0.01, g)

    w, b, losses = train(X, y, LEARNING_RATE, EPOCHS, BATCH_SIZE, g)

    print(f"{len(losses)} steps, final minibatch loss {losses[-1]:.3g}")
    print("true w", [round(v, 4) for v in true_w.tolist()],
          "  learned w", [round(v, 4) for v in w.tolist()])
    print(f"true b {true_b}   learned b {b.item():.4f}")
    report.plot("fit", y, X @ w + b, kind="scatter", title="true y against predicted y")
