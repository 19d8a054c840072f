"""Mutant: samples in evaluation mode, so every pass is the same.

Dropout during training, evaluation mode at test time, and Monte Carlo dropout.

The model below mixes BatchNorm1d and Dropout, the two layers that behave differently in
training mode (model.train()) and in evaluation mode (model.eval()). A network trained on
digits 0-7 is then asked about 8s and 9s, which it has never seen: MC dropout should tell us
that it is unsure about them.
"""

import copy

import torch
from sklearn.datasets import load_digits
from torch import nn
from torch.nn import functional as F

from homl_tui import report
from homl_tui.runtime.device import default_device

# ---- Done for you: data, model, training loop (it calls YOUR evaluate), entropy. ----

def load_digit_sets(seed=0):
    """(X_train, y_train), (X_test, y_test): digits 0-7; X_ood: the 8s and 9s."""
    digits = load_digits()
    X = torch.tensor(digits.data / 16.0, dtype=torch.float32)
    y = torch.tensor(digits.target)
    known = y < 8
    X_known, y_known = X[known], y[known]
    order = torch.randperm(len(X_known), generator=torch.Generator().manual_seed(seed))
    train, test = order[:1100], order[1100:]
    return (X_known[train], y_known[train]), (X_known[test], y_known[test]), X[~known]


def make_model(p=0.3):
    return nn.Sequential(
        nn.Linear(64, 128), nn.BatchNorm1d(128), nn.ReLU(), nn.Dropout(p),
        nn.Linear(128, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Dropout(p),
        nn.Linear(64, 8),
    )


def train(model, X, y, X_val, y_val, epochs=20, lr=3e-3, seed=0, device="cpu"):
    """Adam on minibatches of 64; the validation accuracy is measured with evaluate()."""
    model = model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    g = torch.Generator().manual_seed(seed)
    step = 0
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(X), generator=g)
        for start in range(0, len(X), 64):
            idx = order[start:start + 64]
            loss = F.cross_entropy(model(X[idx].to(device)), y[idx].to(device))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            report.metric(step=step, loss=loss.item())
            step += 1
        report.metric(step=step, val_accuracy=evaluate(model, X_val, y_val))
        report.progress(epoch + 1, epochs)
    return model


def predictive_entropy(probs):
    """Entropy of each row of class probabilities: 0 when sure, log(8) ~ 2.08 when lost."""
    return -(probs * probs.clamp_min(1e-12).log()).sum(dim=-1)


# ---- Your part. ----

def evaluate(model, X, y, batch_size=256):
    """Accuracy of `model` on (X, y) in evaluation mode; leaves the model's mode as it was."""
    was_training = model.training
    device = next(model.parameters()).device
    model.eval()
    correct = 0
    with torch.no_grad():
        for start in range(0, len(X), batch_size):
            X_batch = X[start:start + batch_size].to(device)
            y_batch = y[start:start + batch_size].to(device)
            correct += (model(X_batch).argmax(dim=1) == y_batch).sum().item()
    model.train(was_training)
    return correct / len(X)


def mc_dropout_predict(model, X, n_samples=30):
    """Average the class probabilities of n_samples passes with dropout ON (and batch norm
    in evaluation mode). Return (mean_probs, std_probs), both of shape (len(X), classes)."""
    was_training = model.training
    device = next(model.parameters()).device
    model.eval()
    with torch.no_grad():
        X = X.to(device)
        probs = torch.stack([F.softmax(model(X), dim=-1) for _ in range(n_samples)])
    model.train(was_training)
    return probs.mean(dim=0).cpu(), probs.std(dim=0).cpu()


if __name__ == "__main__":
    device = default_device()
    torch.manual_seed(0)
    (X_train, y_train), (X_test, y_test), X_ood = load_digit_sets()
    model = train(make_model(), X_train, y_train, X_test, y_test, device=device)
    model.eval()
    print(f"test accuracy (digits 0-7, eval mode): {evaluate(model, X_test, y_test):.3f}")
    noisy = copy.deepcopy(model).train()   # a copy: training mode would update its BN statistics
    with torch.no_grad():
        a, b = noisy(X_test.to(device)).argmax(1), noisy(X_test.to(device)).argmax(1)
    print(f"in training mode, two passes over the same {len(X_test)} images disagree on "
          f"{(a != b).sum().item()} predictions (dropout is on)")

    mean_in, std_in = mc_dropout_predict(model, X_test)
    mean_ood, std_ood = mc_dropout_predict(model, X_ood)
    h_in, h_ood = predictive_entropy(mean_in), predictive_entropy(mean_ood)
    print(f"MC dropout accuracy on 0-7: {(mean_in.argmax(1) == y_test).float().mean():.3f}")
    print(f"mean predictive entropy: digits 0-7 {h_in.mean():.3f}, unseen 8s and 9s {h_ood.mean():.3f}")
    report.plot("uncertainty", [h_in.mean().item(), h_ood.mean().item()],
                ["digits 0-7 (test)", "8s and 9s (never seen)"], kind="bar",
                title="mean predictive entropy with MC dropout")
    worst = h_ood.argmax()
    report.plot("most uncertain image", X_ood[worst].reshape(8, 8), kind="image",
                title=f"the model's guess: {mean_ood[worst].argmax().item()} "
                      f"(entropy {h_ood[worst]:.2f})")
