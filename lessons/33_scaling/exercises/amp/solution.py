"""Mixed precision: autocast for the forward pass, a GradScaler for the backward pass."""

import time

import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn

from homl_tui import report
from homl_tui.runtime.device import default_device


def amp_settings(device_type):
    """(dtype, use_scaler) for mixed precision on "cuda", "cpu" or "mps".

    CUDA: float16, which needs a GradScaler (its small exponent range lets tiny gradients
    underflow to zero). Elsewhere: bfloat16, which has float32's exponent range, so no scaler.
    """
    if device_type == "cuda":
        return torch.float16, True
    return torch.bfloat16, False


def amp_train_step(model, optimizer, scaler, X, y, device_type, dtype):
    """One training step of `model` (float32 weights) with cross-entropy on (X, y).

    Run the forward pass and the loss inside torch.autocast(device_type, dtype=dtype); run
    backward OUTSIDE it, on the scaled loss, then let the scaler step the optimizer and update
    its scale. Return the loss, detached (autocast computes cross-entropy in float32).
    """
    optimizer.zero_grad()
    with torch.autocast(device_type=device_type, dtype=dtype):
        logits = model(X)                  # matrix products run in low precision
        loss = F.cross_entropy(logits, y)  # autocast runs this one in float32
    scaler.scale(loss).backward()  # multiplies the loss by the scale (a no-op when disabled)
    scaler.step(optimizer)         # unscales the gradients; skips the step if any is inf/NaN
    scaler.update()                # grows or shrinks the scale for the next step
    return loss.detach()


# ---- Done for you: a small experiment on the digits. ----

def digits(device):
    X, y = load_digits(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X / 16.0, y, test_size=0.3, random_state=0,
                                              stratify=y)
    def t(a, kind):
        return torch.tensor(a, dtype=kind, device=device)
    return t(X_tr, torch.float32), t(y_tr, torch.long), t(X_te, torch.float32), t(y_te, torch.long)


def make_mlp():
    return nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))


def fit(device, use_amp, epochs=15, batch_size=64, seed=0, name=None):
    """Train make_mlp() on the digits with or without mixed precision; return test accuracy."""
    device_type = torch.device(device).type
    X_tr, y_tr, X_te, y_te = digits(device)
    torch.manual_seed(seed)
    model = make_mlp().to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    dtype, use_scaler = amp_settings(device_type)
    scaler = torch.amp.GradScaler(device_type, enabled=use_amp and use_scaler)
    g = torch.Generator().manual_seed(seed)
    step = 0
    for _ in range(epochs):
        order = torch.randperm(len(X_tr), generator=g).to(device)
        for start in range(0, len(X_tr), batch_size):
            idx = order[start:start + batch_size]
            if use_amp:
                loss = amp_train_step(model, optimizer, scaler, X_tr[idx], y_tr[idx],
                                      device_type, dtype)
            else:
                optimizer.zero_grad()
                loss = F.cross_entropy(model(X_tr[idx]), y_tr[idx])
                loss.backward()
                optimizer.step()
            if name:
                report.metric(step=step, run=name, loss=loss.item())
            step += 1
    with torch.no_grad():
        return (model(X_te).argmax(dim=1) == y_te).float().mean().item()


if __name__ == "__main__":
    device = default_device()
    dtype, use_scaler = amp_settings(torch.device(device).type)
    print(f"device {device}: autocast dtype {dtype}, GradScaler {'on' if use_scaler else 'off'}")
    times = {}
    for use_amp, name in ((False, "float32"), (True, "mixed")):
        start = time.perf_counter()
        accuracy = fit(device, use_amp, name=name)
        times[name] = time.perf_counter() - start
        print(f"{name:8s} test accuracy {accuracy:.1%} in {times[name]:.2f} s")
    print("Speed-ups depend on the hardware: large on GPUs with tensor cores, anything from a "
          "loss to a gain on a CPU.")
    report.plot("time", list(times.values()), list(times.keys()), kind="bar",
                title=f"training time on {device}", ylabel="seconds")
