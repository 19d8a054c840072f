"""Linear regression trained from scratch: autograd, minibatches, SGD and a live loss curve.

Run this file to train on synthetic data and watch the loss curve live; Check to test `train`
and your LEARNING_RATE.
"""

import torch

from homl_tui import report

# TODO 1: pick a learning rate. The check trains for 2 epochs with batch size 10 and wants
#         the true weights back. Try a few values with Run and read the curve:
#         too small crawls, too large explodes.
LEARNING_RATE = None
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


# ---- The training loop: your part. ----

def train(X, y, lr=LEARNING_RATE, epochs=EPOCHS, batch_size=BATCH_SIZE, generator=None):
    """Fit y ~ X @ w + b by minibatch SGD; return (w, b, losses), one loss per step.

    w: a tensor of X.shape[1] weights, b: a 0-d tensor, losses: a list of floats.
    Pass `generator` on to data_iter, so the shuffles are reproducible.
    """
    # TODO 2: create w (one weight per feature) and b as zeros with requires_grad=True.
    # TODO 3: for every epoch, for every (X_batch, y_batch) from data_iter(...):
    #           - compute the loss of the predictions X_batch @ w + b  (squared_loss)
    #           - loss.backward(), then sgd_step([w, b], lr)
    #           - append loss.item() to losses, and stream it live:
    #                 report.metric(step=step, loss=loss.item()); step += 1
    # TODO 4: at the end of every epoch: report.progress(epoch + 1, epochs)
    # TODO 5: return w.detach(), b.detach(), losses
    raise NotImplementedError("train: fill in the TODOs")


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
