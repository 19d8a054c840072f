# Mistake: self.norm is created but never applied: the head reads raw encoder output.

import math

import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from torch import nn

from homl_tui import report
from homl_tui.runtime.device import default_device

PATCH_SIZE = 4      # 8x8 digits -> 4 patches of 4x4 (try 2: 16 patches, slower, similar score)
DIM = 64            # width of every token
DEPTH = 2           # number of encoder layers
HEADS = 4           # attention heads per layer (DIM must be a multiple)
MLP_DIM = 128       # hidden width of each layer's MLP
EPOCHS = 20
BATCH_SIZE = 128
LR = 5e-3           # peak learning rate of the one-cycle schedule


# ---- Done for you: your solutions to the earlier exercises, and the data. ----

class PatchEmbed(nn.Module):
    def __init__(self, in_channels, patch_size, dim):
        super().__init__()
        self.patch_size = patch_size
        self.proj = nn.Conv2d(in_channels, dim, kernel_size=patch_size, stride=patch_size)

    def forward(self, images):
        return self.proj(images).flatten(2).transpose(1, 2)


class ViTEmbedding(nn.Module):
    def __init__(self, image_size, patch_size, in_channels, dim):
        super().__init__()
        self.patch = PatchEmbed(in_channels, patch_size, dim)
        self.num_patches = (image_size // patch_size) ** 2
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(0.02 * torch.randn(1, self.num_patches + 1, dim))

    def forward(self, images):
        tokens = self.patch(images)
        cls = self.cls_token.expand(tokens.shape[0], -1, -1)
        return torch.cat([cls, tokens], dim=1) + self.pos_embed


def load_digit_splits():
    """Train / validation / test splits of load_digits as (n, 1, 8, 8) float images in [0, 1]
    and int64 labels: 1137 / 300 / 360 images, always the same split."""
    digits = load_digits()
    X = torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16.0
    y = torch.tensor(digits.target, dtype=torch.int64)
    order = torch.randperm(len(y), generator=torch.Generator().manual_seed(42))
    test, val, train = order[:360], order[360:660], order[660:]
    return X[train], y[train], X[val], y[val], X[test], y[test]


# ---- This exercise. ----

class ViT(nn.Module):
    """Patch embedding + class token + positions -> Transformer encoder -> LayerNorm ->
    linear head on the class token."""

    def __init__(self, image_size=8, patch_size=PATCH_SIZE, in_channels=1, num_classes=10,
                 dim=DIM, depth=DEPTH, heads=HEADS, mlp_dim=MLP_DIM):
        super().__init__()
        self.embed = ViTEmbedding(image_size, patch_size, in_channels, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, dim_feedforward=mlp_dim, dropout=0.0,
                                           activation="gelu", batch_first=True,
                                           norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, num_classes)

    def forward(self, images):
        tokens = self.encoder(self.embed(images))   # (B, N + 1, dim)
        cls = tokens[:, 0]               # the class token, normalised
        return self.head(cls)                       # (B, num_classes) logits


@torch.no_grad()
def evaluate(model, X, y, batch_size=512):
    """(mean cross-entropy, accuracy) of the model on X, y, in eval mode."""
    model.eval()
    device = next(model.parameters()).device
    total_loss, correct = 0.0, 0
    for start in range(0, len(X), batch_size):
        xb, yb = X[start:start + batch_size].to(device), y[start:start + batch_size].to(device)
        logits = model(xb)
        total_loss += F.cross_entropy(logits, yb, reduction="sum").item()
        correct += (logits.argmax(dim=1) == yb).sum().item()
    return total_loss / len(X), correct / len(X)


def train_vit(model, X_train, y_train, X_val, y_val, epochs=EPOCHS, batch_size=BATCH_SIZE,
              lr=LR, generator=None, device=None):
    """Train with AdamW and a one-cycle schedule; stream train_loss at every step and
    val_loss / val_acc after every epoch. Return the trained model."""
    device = device or default_device()
    model.to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    steps = epochs * math.ceil(len(X_train) / batch_size)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=steps)
    step = 0
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(X_train), generator=generator)
        for start in range(0, len(X_train), batch_size):
            idx = order[start:start + batch_size]
            xb, yb = X_train[idx].to(device), y_train[idx].to(device)
            loss = F.cross_entropy(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            report.metric(step=step, train_loss=loss.item())
            step += 1
        val_loss, val_acc = evaluate(model, X_val, y_val)
        report.metric(step=step, val_loss=val_loss, val_acc=val_acc)
        report.progress(epoch + 1, epochs)
    return model

