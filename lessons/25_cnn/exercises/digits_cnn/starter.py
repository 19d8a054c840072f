"""A small CNN that reads 8x8 handwritten digits, trained with live curves on any device.

Data: scikit-learn's digits, 1,797 images of 8x8 pixels with values 0-16, split into
train / validation / test. Settings: EPOCHS = 20 is the full setting used when you press
Run (about 99% test accuracy; a few seconds on a laptop CPU, longer on a busy one); the
check trains your model for 10 epochs only (the fast setting) and needs at least 97% on the
held-out test images.
"""

import torch
import torch.nn.functional as F  # noqa: F401  (F.cross_entropy)
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn  # noqa: F401  (nn.Conv2d, nn.Sequential, ...)

from homl_tui import report
from homl_tui.runtime.device import default_device

EPOCHS = 20
BATCH_SIZE = 32
LEARNING_RATE = 3e-3


def to_images(X):
    """(n, 64) array of pixel values 0-16 -> float32 tensor (n, 1, 8, 8) with values in [0, 1].

    Channels come first, as PyTorch's conv layers expect: (batch, channels, height, width).
    """
    # TODO 1: make a float32 tensor, reshape every row of 64 pixels into 1 x 8 x 8, and
    #         scale the pixels into [0, 1] (they go from 0 to 16).
    raise NotImplementedError("to_images: fill in the TODO")


def build_model():
    """A small CNN: (N, 1, 8, 8) images -> (N, 10) logits (at most 200,000 parameters)."""
    # TODO 2: two blocks of Conv2d(kernel 3, padding 1) -> BatchNorm2d -> ReLU -> MaxPool2d(2)
    #         (for example 32 then 64 channels), then Flatten, Dropout and a Linear layer with
    #         10 outputs. Work out the Linear layer's input size with the output-size formula.
    raise NotImplementedError("build_model: fill in the TODO")


def evaluate(model, X, y):
    """(mean cross-entropy, accuracy) of the model on images X and labels y, as two floats.

    Runs in evaluation mode (dropout off, BatchNorm on its running statistics), without
    recording gradients, on the device where the model's parameters live.
    """
    # TODO 3: find the model's device (next(model.parameters()).device), switch the model
    #         to evaluation mode, and inside torch.no_grad() compute the logits of X (moved
    #         to that device), the mean cross-entropy, and the fraction of correct argmaxes.
    raise NotImplementedError("evaluate: fill in the TODO")


def fit(model, X_train, y_train, X_val, y_val, epochs=EPOCHS, device="cpu", generator=None):
    """Train with Adam on shuffled minibatches; stream the curves; return the model.

    Streams train_loss at every step, val_loss and val_acc after every epoch (with the same
    step counter), and report.progress after every epoch.
    """
    # TODO 4: move the model to `device`; make an Adam optimizer with LEARNING_RATE.
    # TODO 5: for every epoch: switch the model to TRAIN mode (evaluate() left it in eval
    #         mode), draw a random order with torch.randperm(n, generator=generator), and
    #         for every minibatch of BATCH_SIZE: move it to `device`, forward, cross-entropy,
    #         zero_grad, backward, step, then report.metric(step=step, train_loss=...).
    #         Recommended (optional on the CPU, where it stays off): mixed precision.
    #         Compute the forward pass and the loss inside
    #             with torch.autocast(device_type=torch.device(device).type,
    #                                 dtype=torch.bfloat16, enabled=<device type is "cuda">):
    #         and call backward() after the block (see "Mixed precision" in the lesson).
    # TODO 6: after every epoch: val_loss, val_acc = evaluate(...);
    #         report.metric(step=step, val_loss=val_loss, val_acc=val_acc);
    #         report.progress(epoch + 1, epochs).
    raise NotImplementedError("fit: fill in the TODOs")


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
