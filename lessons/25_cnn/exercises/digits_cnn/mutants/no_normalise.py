"""Mutant: feeds the raw pixel values (0 to 16) to the network.

A small CNN that reads 8x8 handwritten digits, trained with live curves on any device.

Data: scikit-learn's digits, 1,797 images of 8x8 pixels with values 0-16, split into
train / validation / test. Settings: EPOCHS = 20 is the full setting used when you press
Run (about 99% test accuracy; a few seconds on a laptop CPU, longer on a busy one); the
check trains your model for 10 epochs only (the fast setting) and needs at least 97% on the
held-out test images.
"""

import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn

from homl_tui import report
from homl_tui.runtime.device import default_device

EPOCHS = 20
BATCH_SIZE = 32
LEARNING_RATE = 3e-3


def to_images(X):
    """(n, 64) array of pixel values 0-16 -> float32 tensor (n, 1, 8, 8) with values in [0, 1].

    Channels come first, as PyTorch's conv layers expect: (batch, channels, height, width).
    """
    X = torch.as_tensor(X, dtype=torch.float32)
    return X.reshape(-1, 1, 8, 8)


def build_model():
    """A small CNN: (N, 1, 8, 8) images -> (N, 10) logits."""
    return nn.Sequential(
        nn.Conv2d(1, 32, kernel_size=3, padding=1),   # 32 x 8 x 8
        nn.BatchNorm2d(32),
        nn.ReLU(),
        nn.MaxPool2d(2),                              # 32 x 4 x 4
        nn.Conv2d(32, 64, kernel_size=3, padding=1),  # 64 x 4 x 4
        nn.BatchNorm2d(64),
        nn.ReLU(),
        nn.MaxPool2d(2),                              # 64 x 2 x 2
        nn.Flatten(),
        nn.Dropout(0.3),
        nn.Linear(64 * 2 * 2, 10),
    )


def evaluate(model, X, y):
    """(mean cross-entropy, accuracy) of the model on images X and labels y.

    Runs in evaluation mode (dropout off, BatchNorm on its running statistics), without
    recording gradients, on the device where the model's parameters live.
    """
    device = next(model.parameters()).device
    model.eval()
    with torch.no_grad():
        logits = model(X.to(device))
        y = y.to(device)
        loss = F.cross_entropy(logits, y).item()
        accuracy = (logits.argmax(dim=1) == y).float().mean().item()
    return loss, accuracy


def fit(model, X_train, y_train, X_val, y_val, epochs=EPOCHS, device="cpu", generator=None):
    """Train with Adam on shuffled minibatches; stream the curves; return the model.

    Streams train_loss at every step, val_loss and val_acc after every epoch (with the same
    step counter), and report.progress after every epoch.
    """
    model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    # Mixed precision on a GPU: autocast runs the convolutions and matrix products in
    # bfloat16 (tensor cores, half the memory traffic) while the weights stay float32.
    # bfloat16 has float32's exponent range, so small gradients do not underflow and no
    # GradScaler is needed (float16 would need one). Off on the CPU: plain float32 there.
    device_type = torch.device(device).type
    use_amp = device_type == "cuda"
    n = len(X_train)
    step = 0
    for epoch in range(epochs):
        model.train()  # evaluate() switched to eval mode at the end of the previous epoch
        order = torch.randperm(n, generator=generator)
        for start in range(0, n, BATCH_SIZE):
            idx = order[start:start + BATCH_SIZE]
            xb, yb = X_train[idx].to(device), y_train[idx].to(device)
            with torch.autocast(device_type=device_type, dtype=torch.bfloat16, enabled=use_amp):
                loss = F.cross_entropy(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()  # outside autocast: backward follows the dtypes of the forward pass
            optimizer.step()
            report.metric(step=step, train_loss=loss.item())
            step += 1
        val_loss, val_acc = evaluate(model, X_val, y_val)
        report.metric(step=step, val_loss=val_loss, val_acc=val_acc)
        report.progress(epoch + 1, epochs)
    return model


# ---- Done for you: the same split the check uses. ----

def split_digits(seed=42):
    """Train / validation / test split of the digits (60% / 15% / 25%), stratified."""
    X, y = load_digits(return_X_y=True)
    X_rest, X_test, y_rest, y_test = train_test_split(
        X, y, test_size=0.25, random_state=seed, stratify=y)
    X_train, X_val, y_train, y_val = train_test_split(
        X_rest, y_rest, test_size=0.2, random_state=seed, stratify=y_rest)
    return X_train, X_val, X_test, y_train, y_val, y_test


if __name__ == "__main__":
    device = default_device()
    torch.manual_seed(0)
    X_train, X_val, X_test, y_train, y_val, y_test = split_digits()
    X_train, X_val, X_test = to_images(X_train), to_images(X_val), to_images(X_test)
    y_train, y_val, y_test = (torch.as_tensor(v) for v in (y_train, y_val, y_test))
    print(f"device: {device}   images: {tuple(X_train.shape)}  "
          f"pixel range [{X_train.min():.0f}, {X_train.max():.0f}]")

    model = build_model()
    print(f"parameters: {sum(p.numel() for p in model.parameters()):,}")
    fit(model, X_train, y_train, X_val, y_val, EPOCHS, device,
        torch.Generator().manual_seed(0))
    test_loss, test_acc = evaluate(model, X_test, y_test)
    print(f"test loss {test_loss:.3f}   test accuracy {test_acc:.2%}")

    with torch.no_grad():
        predicted = model(X_test.to(device)).argmax(dim=1).cpu()
    confusion = torch.zeros(10, 10, dtype=torch.long)
    for t, p in zip(y_test.tolist(), predicted.tolist(), strict=True):
        confusion[t, p] += 1
    report.plot("confusion", confusion, list(range(10)), kind="matrix",
                title="test digits: true (rows) against predicted (columns)",
                xlabel="predicted", ylabel="true")
    wrong = (predicted != y_test).nonzero().flatten()
    if len(wrong):
        i = int(wrong[0])
        print(f"first mistake: test image {i}, a {int(y_test[i])} read as {int(predicted[i])}")
        report.plot("mistake", X_test[i, 0], kind="image",
                    title=f"a {int(y_test[i])} the model read as {int(predicted[i])}")
