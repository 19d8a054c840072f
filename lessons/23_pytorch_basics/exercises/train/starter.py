"""A reusable training loop: any model, any loss, any optimizer, any pair of DataLoaders.

train(...) runs `epochs` passes over train_loader. Each batch is one optimisation step: move the
batch to the device, forward, loss, clear the old gradients, backward, optimizer step. The loss
of every step is streamed live with report.metric(step=..., loss=...). After each epoch the
model is scored on val_loader with evaluate(...), and that score is streamed as val_loss.

Two details matter as soon as the model has dropout (or batch norm): the model must be in
training mode (model.train()) while it learns and in evaluation mode (model.eval()) while it is
scored, and it must go back to training mode at the start of the next epoch.

Run this file to train a small network with dropout and watch both curves; Check to test.
"""

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from homl_tui import report
from homl_tui.runtime.device import default_device


def evaluate(model, loader, loss_fn, device):
    """The mean loss per EXAMPLE over the whole loader, with the model in evaluation mode.

    loss_fn returns the mean over a batch: weight each batch by its size, so that a smaller
    last batch does not count as much as a full one.
    """
    # TODO 1: model.eval(); then, under torch.no_grad(), for every (X_batch, y_batch):
    #         move both to `device`, compute loss_fn(model(X_batch), y_batch), and add
    #         loss.item() * len(X_batch) to a total. Return total / (number of examples).
    raise NotImplementedError("evaluate: fill in the TODO")


def train(model, train_loader, val_loader, loss_fn, optimizer, epochs, device=None):
    """Train `model` in place; return {"train_loss": [...], "val_loss": [...]}, one entry per
    epoch (train_loss: the mean of that epoch's batch losses, weighted by batch size;
    val_loss: evaluate(model, val_loader, ...) at the end of the epoch)."""
    if device is None:
        device = default_device()
    model.to(device)
    history = {"train_loss": [], "val_loss": []}
    step = 0
    for epoch in range(epochs):
        # TODO 2: switch the model to training mode (it may still be in eval mode from the
        #         previous epoch's evaluation).
        # TODO 3: for every (X_batch, y_batch) of train_loader:
        #           - move them to `device`, compute loss = loss_fn(model(X_batch), y_batch)
        #           - optimizer.zero_grad(), loss.backward(), optimizer.step()
        #           - stream it: report.metric(step=step, loss=loss.item()); step += 1
        #           - keep a running total of loss.item() * len(X_batch) for train_loss
        # TODO 4: val_loss = evaluate(model, val_loader, loss_fn, device); append both numbers to
        #         history; report.metric(step=step, val_loss=val_loss);
        #         report.progress(epoch + 1, epochs)
        raise NotImplementedError("train: fill in the TODOs")
    return history


if __name__ == "__main__":
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    X = torch.rand(1200, 1, generator=g) * 6 - 3
    y = torch.sin(2 * X[:, 0]) + 0.2 * torch.randn(1200, generator=g)
    train_data, val_data = TensorDataset(X[:1000], y[:1000]), TensorDataset(X[1000:], y[1000:])
    train_loader = DataLoader(train_data, batch_size=32, shuffle=True, generator=g)
    val_loader = DataLoader(val_data, batch_size=256)

    model = nn.Sequential(nn.Linear(1, 64), nn.ReLU(), nn.Dropout(0.1),
                          nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1), nn.Flatten(0))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.005)
    history = train(model, train_loader, val_loader, nn.MSELoss(), optimizer, epochs=20)
    for epoch in (0, 4, 9, 19):
        print(f"epoch {epoch + 1:2d}: train loss {history['train_loss'][epoch]:.4f}, "
              f"val loss {history['val_loss'][epoch]:.4f}")
    print(f"the noise alone gives a loss of about {0.2 ** 2:.2f}: no model can do better")

    model.eval()
    grid = torch.linspace(-3, 3, 200).reshape(-1, 1)
    with torch.no_grad():
        curve = model(grid.to(next(model.parameters()).device)).cpu()
    report.plot("fit", y[1000:], X[1000:, 0], kind="scatter", title="validation data and the fit",
                overlay={"model": (grid[:, 0], curve)})
    report.plot("epochs", history["val_loss"], list(range(1, 21)),
                title="validation loss per epoch", xlabel="epoch", ylabel="MSE")
