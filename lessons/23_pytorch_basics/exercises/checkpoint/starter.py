"""Saving a trained model's weights, and loading them into a fresh copy of the model.

save_weights(model, path) writes the model's state_dict (a dictionary from names such as
"0.weight" to tensors, buffers included) with torch.save. It does NOT pickle the model object
itself: that would tie the file to the exact code and class layout of today.

load_weights(path, make_model, device) rebuilds the architecture with make_model() (a function
that returns a fresh, untrained model), loads the saved tensors into it, moves it to the device
and returns it ready for predictions, in evaluation mode.

Run this file to save and reload a small network; Check to test both functions.
"""

import os
import tempfile

import torch
from torch import nn

from homl_tui.runtime.device import default_device


def save_weights(model, path):
    """Write model.state_dict() to `path`."""
    # TODO 1: torch.save(...) the state_dict, not the model.
    raise NotImplementedError("save_weights")


def load_weights(path, make_model, device=None):
    """A fresh model from make_model(), holding the weights saved at `path`, on `device`
    (default_device() when None), in evaluation mode."""
    device = device or default_device()
    # TODO 2: model = make_model()
    # TODO 3: state = torch.load(path, map_location=device, weights_only=True)
    #         (map_location: tensors saved on a GPU can be loaded on a machine without one;
    #          weights_only: refuse to run arbitrary pickled code from the file).
    # TODO 4: model.load_state_dict(state). Careful: it returns a report of missing and
    #         unexpected keys, NOT the model, so do not write model = model.load_state_dict(...).
    # TODO 5: move the model to `device`, switch it to evaluation mode, and return it.
    raise NotImplementedError("load_weights")


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
