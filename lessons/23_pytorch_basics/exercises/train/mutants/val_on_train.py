"""Mutant: scores the model on the training loader instead of the validation loader.

A reusable training loop: any model, any loss, any optimizer, any pair of DataLoaders."""

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
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for X_batch, y_batch in loader:
            X_batch, y_batch = X_batch.to(device), y_batch.to(device)
            loss = loss_fn(model(X_batch), y_batch)
            total += loss.item() * len(X_batch)
            count += len(X_batch)
    return total / count


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
        model.train()
        total, count = 0.0, 0
        for X_batch, y_batch in train_loader:
            X_batch, y_batch = X_batch.to(device), y_batch.to(device)
            loss = loss_fn(model(X_batch), y_batch)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            report.metric(step=step, loss=loss.item())
            step += 1
            total += loss.item() * len(X_batch)
            count += len(X_batch)
        val_loss = evaluate(model, train_loader, loss_fn, device)
        history["train_loss"].append(total / count)
        history["val_loss"].append(val_loss)
        report.metric(step=step, val_loss=val_loss)
        report.progress(epoch + 1, epochs)
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
