"""Mutant: keeps the whole pretrained network, old 8-class output layer included, and trains only that layer.

Transfer learning: reuse the lower layers of a network trained on digits 0-7 to learn
8 versus 9 from only 20 labelled images.

The pretrained network is nn.Sequential(Linear(64, 128), ReLU, Linear(128, 64), ReLU,
Linear(64, 8)). Its lower layers detect strokes and blobs that any digit is made of; its top
layers are specialised in telling 0-7 apart. We keep the first `n_reuse` modules, frozen,
and put a fresh output layer on top.
"""

import copy

import torch
from sklearn.datasets import load_digits
from torch import nn
from torch.nn import functional as F

from homl_tui import report
from homl_tui.runtime.device import default_device

N_REUSE = 2          # keep Linear(64, 128) + ReLU, replace everything above


# ---- Done for you: the data, the pretrained network, a few-shot split, accuracy. ----

def load_digit_tasks():
    """(X_old, y_old): digits 0-7; (X_new, y_new): digits 8 and 9, labelled 0 and 1."""
    digits = load_digits()
    X = torch.tensor(digits.data / 16.0, dtype=torch.float32)
    y = torch.tensor(digits.target)
    old = y < 8
    return X[old], y[old], X[~old], y[~old] - 8


def pretrain(X, y, epochs=20, lr=3e-3, seed=0, device="cpu"):
    """Train the 0-7 classifier with Adam on minibatches of 64; return it on the CPU."""
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(),
                          nn.Linear(64, 8)).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    g = torch.Generator().manual_seed(seed)
    X, y = X.to(device), y.to(device)
    for _ in range(epochs):
        order = torch.randperm(len(X), generator=g).to(device)
        for start in range(0, len(X), 64):
            idx = order[start:start + 64]
            loss = F.cross_entropy(model(X[idx]), y[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return model.cpu().eval()


def few_shot_split(y, per_class, generator):
    """Indices of `per_class` labelled examples of every class, and of all the others."""
    train, test = [], []
    for c in torch.unique(y):
        idx = torch.nonzero(y == c).flatten()
        idx = idx[torch.randperm(len(idx), generator=generator)]
        train.append(idx[:per_class])
        test.append(idx[per_class:])
    return torch.cat(train), torch.cat(test)


def accuracy(model, X, y):
    model = model.cpu().eval()
    with torch.no_grad():
        return (model(X).argmax(dim=1) == y).float().mean().item()


# ---- Your part. ----

def make_transfer_model(pretrained, n_reuse, n_classes):
    """A new model: a frozen copy of pretrained[:n_reuse], then a fresh nn.Linear head."""
    model = copy.deepcopy(pretrained)
    model.requires_grad_(False)
    model[-1].requires_grad_(True)
    return model


def fine_tune(model, X, y, epochs=100, lr=1e-2, device="cpu"):
    """Train the trainable parameters of `model` on (X, y), full batch; return the losses."""
    model = model.to(device)
    X, y = X.to(device), y.to(device)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.Adam(trainable, lr=lr)
    model.train()
    losses = []
    for epoch in range(epochs):
        loss = F.cross_entropy(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        report.metric(step=epoch, loss=losses[-1])
        report.progress(epoch + 1, epochs)
    return losses


if __name__ == "__main__":
    device = default_device()
    X_old, y_old, X_new, y_new = load_digit_tasks()
    pretrained = pretrain(X_old, y_old, device=device)
    print(f"pretrained on digits 0-7: training accuracy {accuracy(pretrained, X_old, y_old):.3f}")

    train_idx, test_idx = few_shot_split(y_new, 10, torch.Generator().manual_seed(0))
    model = make_transfer_model(pretrained, N_REUSE, 2)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    frozen = sum(p.numel() for p in model.parameters() if not p.requires_grad)
    print(f"transfer model: {trainable} trainable and {frozen} frozen parameters")
    losses = fine_tune(model, X_new[train_idx], y_new[train_idx], device=device)
    acc = accuracy(model, X_new[test_idx], y_new[test_idx])
    print(f"fine-tuned on {len(train_idx)} images: final loss {losses[-1]:.4f}, "
          f"accuracy on {len(test_idx)} held-out 8s and 9s: {acc:.3f}")
    report.plot("the 20 labelled images", X_new[train_idx[[0, 10]]].reshape(2 * 8, 8),
                kind="image", title="one labelled 8 (top) and one labelled 9 (bottom)")
