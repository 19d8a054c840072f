"""A wide-and-deep regressor for the diabetes data: scaling in, a two-path model, scaling out.

The model has two paths from the input to the output:
  - the deep path: Linear(n_features, hidden) -> ReLU -> Linear(hidden, hidden) -> ReLU
  - the wide path: the raw (standardised) features themselves, untouched.
The head is one Linear layer that sees both, concatenated: n_features + hidden numbers in,
one number out. forward returns a flat vector of shape (batch,), like the targets.

fit_regressor standardises the features AND the target with statistics of the training data,
trains the model on the scaled data, and returns a predict(X_new) function that applies the
same feature scaling, runs the model and converts its outputs back to the target's units.

Run this file to train on a split of the diabetes data and see the held-out scores; Check to
test the model on a held-out split of its own.
"""

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from homl_tui import report
from homl_tui.runtime.device import default_device

HIDDEN = 32
EPOCHS = 10  # the data set is tiny (331 training rows): more epochs start to overfit
LR = 0.003
BATCH_SIZE = 32


class WideAndDeep(nn.Module):
    def __init__(self, n_features, hidden=HIDDEN):
        super().__init__()
        # TODO 1: self.deep = nn.Sequential(...) with the two Linear + ReLU layers;
        #         self.head = nn.Linear(n_features + hidden, 1).
        raise NotImplementedError("WideAndDeep.__init__: build the two paths and the head")

    def forward(self, x):
        # TODO 2: concatenate x and self.deep(x) along the feature axis (torch.cat(..., dim=1)),
        #         apply the head, and drop the last axis: (batch, 1) -> (batch,).
        raise NotImplementedError("WideAndDeep.forward")


# ---- Done for you: a compact training loop (your `train` from the previous exercise, minus
# ---- the validation part). ----

def fit_epochs(model, loader, optimizer, epochs, device):
    loss_fn = nn.MSELoss()
    step = 0
    for epoch in range(epochs):
        model.train()
        for X_batch, y_batch in loader:
            X_batch, y_batch = X_batch.to(device), y_batch.to(device)
            loss = loss_fn(model(X_batch), y_batch)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            report.metric(step=step, loss=loss.item())
            step += 1
        report.progress(epoch + 1, epochs)
    model.eval()


def fit_regressor(X_train, y_train, epochs=EPOCHS, lr=LR, seed=0, device=None):
    """Train a WideAndDeep model on (X_train, y_train); return predict(X_new) -> NumPy array of
    predictions in the units of y_train."""
    device = device or default_device()
    X = torch.tensor(np.asarray(X_train), dtype=torch.float32)
    y = torch.tensor(np.asarray(y_train), dtype=torch.float32)
    # TODO 3: the training statistics: the mean and standard deviation of every feature
    #         (X.mean(dim=0), X.std(dim=0)), and of the target.
    # TODO 4: standardise X and y with them.
    # TODO 5: torch.manual_seed(seed); build the model (WideAndDeep(X.shape[1])) on `device`, a
    #         DataLoader over TensorDataset(X_scaled, y_scaled) with batch_size=BATCH_SIZE,
    #         shuffle=True and generator=torch.Generator().manual_seed(seed), and
    #         torch.optim.Adam(model.parameters(), lr=lr); then fit_epochs(...).
    # TODO 6: write predict(X_new): scale X_new with the TRAINING statistics, compute the model's
    #         outputs in eval mode under torch.no_grad(), turn them back into target units
    #         (times the target's std, plus its mean), and return them as a NumPy array.
    raise NotImplementedError("fit_regressor: fill in the TODOs")


if __name__ == "__main__":
    from sklearn.datasets import load_diabetes
    from sklearn.model_selection import train_test_split

    data = load_diabetes(scaled=False)  # raw units: age in years, BMI, blood pressure, ...
    X_train, X_test, y_train, y_test = train_test_split(
        data.data, data.target, test_size=0.25, random_state=42)
    predict = fit_regressor(X_train, y_train)
    pred = predict(X_test)
    rmse = float(np.sqrt(np.mean((pred - y_test) ** 2)))
    r2 = 1 - np.sum((pred - y_test) ** 2) / np.sum((y_test - y_test.mean()) ** 2)
    print(f"held-out RMSE {rmse:.1f} (the target's std is {y_test.std():.1f}), R^2 {r2:.3f}")
    line = [float(y_test.min()), float(y_test.max())]
    report.plot("held-out", pred, y_test, kind="scatter", title="predicted against true",
                xlabel="true", ylabel="predicted", overlay={"perfect": (line, line)})
