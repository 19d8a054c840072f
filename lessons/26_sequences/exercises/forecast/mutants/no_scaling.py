"""Mutant: forgets to scale: raw ridership goes into the GRU and the head must produce raw
values, so training in the same budget gets nowhere near the baseline.

A GRU forecaster that has to beat the seasonal-naive baseline on the last half year."""

import numpy as np
import torch
from torch import nn

from homl_tui import report
from homl_tui.runtime.device import default_device

WINDOW = 21        # three weeks of history per forecast
N_VALID = 120      # days in the validation period
N_TEST = 182       # days in the test period (the last half year)
HIDDEN = 32
EPOCHS = 20
LR = 0.01
BATCH_SIZE = 32


# ---- Done for you: the series, the windows and the split from the earlier exercises. ----

def make_ridership(n_days=1096, seed=42):
    """Daily riders (in millions) for n_days, starting on a Monday: a weekly rhythm, slow
    growth, a yearly swing, six holidays a year and noise that lingers for days."""
    rng = np.random.default_rng(seed)
    t = np.arange(n_days)
    weekly = np.array([1.00, 1.03, 1.04, 1.03, 0.97, 0.62, 0.47])[t % 7]  # Mon ... Sun
    trend = 1.0 + 0.05 * t / 365.25
    yearly = 1.0 + 0.06 * np.sin(2 * np.pi * (t - 80) / 365.25)
    holiday = np.ones(n_days)
    for day_of_year in (0, 146, 184, 246, 329, 358):
        holiday[day_of_year::365] = 0.55
    noise = np.zeros(n_days)
    shocks = rng.normal(0.0, 0.02, n_days)
    for i in range(1, n_days):
        noise[i] = 0.85 * noise[i - 1] + shocks[i]
    return (0.8 * weekly * trend * yearly * holiday + noise).astype(np.float32)


def make_windows(series, window, horizon=1):
    s = torch.as_tensor(series, dtype=torch.float32)
    n = len(s) - window - horizon + 1
    return s.unfold(0, window, 1)[:n], s[window + horizon - 1:]


def chrono_split(series, window, n_valid, n_test):
    X, y = make_windows(series, window)
    n_train = len(X) - n_valid - n_test
    return ((X[:n_train], y[:n_train]),
            (X[n_train:n_train + n_valid], y[n_train:n_train + n_valid]),
            (X[n_train + n_valid:], y[n_train + n_valid:]))


# ---- The model and its training loop. ----

class Forecaster(nn.Module):
    """Reads a (batch, window) block of past values and forecasts the next one, shape (batch,)."""

    def __init__(self, hidden_size=HIDDEN, mean=0.0, std=1.0):
        super().__init__()
        self.mean, self.std = float(mean), float(std)
        self.gru = nn.GRU(input_size=1, hidden_size=hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, 1)

    def forward(self, x):
        out, _ = self.gru(x.unsqueeze(-1))
        return self.head(out[:, -1]).squeeze(-1)


def train_forecaster(model, train, valid, epochs=EPOCHS, lr=LR, batch_size=BATCH_SIZE,
                     generator=None, device="cpu"):
    """Adam on the Huber loss; streams train_loss every step and val_loss every epoch."""
    X_train, y_train = (t.to(device) for t in train)
    X_valid, y_valid = (t.to(device) for t in valid)
    model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.HuberLoss(delta=0.05)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    history = {"train_loss": [], "val_loss": []}
    step = 0
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(X_train), generator=generator).to(device)
        total = 0.0
        for start in range(0, len(X_train), batch_size):
            idx = order[start:start + batch_size]
            loss = loss_fn(model(X_train[idx]), y_train[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(idx)
            report.metric(step=step, train_loss=loss.item())
            step += 1
        model.eval()
        with torch.no_grad():
            val_loss = loss_fn(model(X_valid), y_valid).item()
        history["train_loss"].append(total / len(X_train))
        history["val_loss"].append(val_loss)
        report.metric(step=step, val_loss=val_loss)
        report.progress(epoch + 1, epochs)
        scheduler.step()  # the learning rate glides down to 0 over the epochs
    return history


if __name__ == "__main__":
    torch.manual_seed(0)
    device = default_device()
    series = make_ridership()
    train, valid, test = chrono_split(series, WINDOW, N_VALID, N_TEST)
    mean, std = train[1].mean().item(), train[1].std().item()  # from the training period only
    model = Forecaster(HIDDEN, mean, std)
    print(f"training on {len(train[0])} windows ({device}), validating on {len(valid[0])}")
    history = train_forecaster(model, train, valid, EPOCHS, LR, BATCH_SIZE,
                               torch.Generator().manual_seed(0), device)
    print(f"last epoch: train loss {history['train_loss'][-1]:.5f}, "
          f"validation loss {history['val_loss'][-1]:.5f}")

    X_test, y_test = test
    model.to("cpu").eval()
    with torch.no_grad():
        forecast = model(X_test)
    seasonal = X_test[:, -7]  # the value a week before each target
    mae_model = (forecast - y_test).abs().mean().item()
    mae_naive = (seasonal - y_test).abs().mean().item()
    print(f"test MAE: GRU {mae_model * 1e6:,.0f} riders, seasonal naive "
          f"{mae_naive * 1e6:,.0f} riders (ratio {mae_model / mae_naive:.2f})")

    days = np.arange(len(series) - N_TEST, len(series))[-70:]
    report.plot("forecast", y_test[-70:], days, kind="line", xlabel="day",
                ylabel="riders (millions)", title="The last 10 test weeks: truth and forecasts",
                overlay={"GRU": (days, forecast[-70:]),
                         "seasonal naive": (days, seasonal[-70:])})
