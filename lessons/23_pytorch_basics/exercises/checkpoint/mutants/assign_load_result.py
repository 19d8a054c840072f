"""Mutant: keeps what load_state_dict returns instead of the model.

Saving a trained model's weights, and loading them into a fresh copy of the model."""

import os
import tempfile

import torch
from torch import nn

from homl_tui.runtime.device import default_device


def save_weights(model, path):
    """Write model.state_dict() to `path`."""
    torch.save(model.state_dict(), path)


def load_weights(path, make_model, device=None):
    """A fresh model from make_model(), holding the weights saved at `path`, on `device`
    (default_device() when None), in evaluation mode."""
    device = device or default_device()
    model = make_model()
    state = torch.load(path, map_location=device, weights_only=True)
    model = model.load_state_dict(state)
    return model


def make_model():
    return nn.Sequential(nn.Linear(8, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Dropout(0.3),
                         nn.Linear(32, 2))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = make_model()
    X = torch.randn(256, 8)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(50):  # a little training, so the weights and BatchNorm statistics move
        loss = nn.functional.cross_entropy(model(X), (X[:, 0] > 0).long())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.pt")
        save_weights(model, path)
        print(f"saved {os.path.getsize(path)} bytes; entries:")
        for name, tensor in torch.load(path, weights_only=True).items():
            print(f"  {name:22s} {tuple(tensor.shape)}")
        copy = load_weights(path, make_model, "cpu")

    with torch.no_grad():
        same = torch.equal(model(X), copy(X))
    print("the reloaded model is in training mode:", copy.training)
    print("it gives exactly the same outputs as the original:", same)
