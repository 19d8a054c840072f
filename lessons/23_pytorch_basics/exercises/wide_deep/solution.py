"""A wide-and-deep regressor for the diabetes data: scaling in, a two-path model, scaling out."""

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
        self.deep = nn.Sequential(nn.Linear(n_features, hidden), nn.ReLU(),
                                  nn.Linear(hidden, hidden), nn.ReLU())
        self.head = nn.Linear(n_features + hidden, 1)

    def forward(self, x):
        both = torch.cat([x, self.deep(x)], dim=1)
        return self.head(both).squeeze(-1)


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
    x_mean, x_std = X.mean(dim=0), X.std(dim=0)
    y_mean, y_std = y.mean(), y.std()
    X_scaled, y_scaled = (X - x_mean) / x_std, (y - y_mean) / y_std

    torch.manual_seed(seed)
    model = WideAndDeep(X.shape[1]).to(device)
    loader = DataLoader(TensorDataset(X_scaled, y_scaled), batch_size=BATCH_SIZE, shuffle=True,
                        generator=torch.Generator().manual_seed(seed))
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    fit_epochs(model, loader, optimizer, epochs, device)

    def predict(X_new):
        X_new = torch.tensor(np.asarray(X_new), dtype=torch.float32)
        model.eval()
        with torch.no_grad():
            out = model(((X_new - x_mean) / x_std).to(device)).cpu()
        return (out * y_std + y_mean).numpy()

    return predict


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
