"""A GRU forecaster that has to beat the seasonal-naive baseline on the last half year.

Press Run to train on the lesson's series and compare with the seasonal-naive forecast
(the Metrics tab shows the training and validation losses live). The check trains your
model with its own copy of the series, EPOCHS, LR and BATCH_SIZE as below.
"""

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


# ---- The model and its training loop: your part. ----

class Forecaster(nn.Module):
    """Reads a (batch, window) block of past values and forecasts the next one, shape (batch,).

    mean and std are the mean and standard deviation of the training targets: use them to
    scale the inputs to about zero mean and unit spread, and to scale the output back.
    """

    def __init__(self, hidden_size=HIDDEN, mean=0.0, std=1.0):
        super().__init__()
        self.mean, self.std = float(mean), float(std)
        # TODO 1: a GRU reading one feature per time step, with batch_first=True (our
        #         tensors are (batch, time, features)), and a Linear layer from the hidden
        #         state to one number. Store them as attributes: self.gru, self.head.
        raise NotImplementedError("Forecaster.__init__: fill in the TODOs")

    def forward(self, x):
        # TODO 2: scale x with self.mean and self.std, and add a feature axis at the end:
        #         (batch, window) -> (batch, window, 1).
        # TODO 3: run the GRU; keep the output at the LAST time step, (batch, hidden).
        # TODO 4: apply the head, drop its last axis -> (batch,), and undo the scaling.
        raise NotImplementedError("Forecaster.forward: fill in the TODOs")


def train_forecaster(model, train, valid, epochs=EPOCHS, lr=LR, batch_size=BATCH_SIZE,
                     generator=None, device="cpu"):
    """Train model on train = (X, y) with Adam; return {"train_loss": [...], "val_loss": [...]},
    one value per epoch. Stream train_loss at every step and val_loss after every epoch."""
    X_train, y_train = (t.to(device) for t in train)
    X_valid, y_valid = (t.to(device) for t in valid)
    model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.HuberLoss(delta=0.05)  # squared for errors under 50,000 riders, linear above
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    history = {"train_loss": [], "val_loss": []}
    step = 0
    for epoch in range(epochs):
        # TODO 5: model.train(); shuffle the training windows with
        #         torch.randperm(len(X_train), generator=generator).to(device)
        #         (shuffling windows INSIDE the training set is fine: each one carries its
        #         own past), and loop over minibatches of batch_size:
        #         forward, loss, zero_grad, backward, step;
        #         report.metric(step=step, train_loss=loss.item()); step += 1
        # TODO 6: model.eval(); under torch.no_grad(), the loss on all the validation windows;
        #         append the epoch's mean training loss and the validation loss to history;
        #         report.metric(step=step, val_loss=...); report.progress(epoch + 1, epochs)
        raise NotImplementedError("train_forecaster: fill in the TODOs")
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
