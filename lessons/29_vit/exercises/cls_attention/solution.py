"""Where does the class token look? Attention maps of a trained vision transformer."""

import math

import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from torch import nn

from homl_tui import report
from homl_tui.runtime.device import default_device

# ---- Done for you: your solutions to the earlier exercises (a ViT with 2x2 patches). ----

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


class ViT(nn.Module):
    """Patch embedding + class token + positions -> Transformer encoder -> LayerNorm ->
    linear head on the class token."""

    def __init__(self, image_size=8, patch_size=2, in_channels=1, num_classes=10,
                 dim=32, depth=2, heads=4, mlp_dim=64):
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
        cls = self.norm(tokens)[:, 0]               # the class token, normalised
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


def train_vit(model, X_train, y_train, X_val, y_val, epochs=20, batch_size=64,
              lr=5e-3, generator=None, device=None):
    """Your training loop from the previous exercise."""
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


# ---- This exercise. ----

@torch.no_grad()
def cls_attention(model, images, layer=-1):
    """(B, h, w) map of how much the class token attends to each patch in encoder layer
    `layer` (averaged over the heads), laid out like the patches in the image."""
    model.eval()
    blocks = model.encoder.layers
    index = layer % len(blocks)
    x = model.embed(images)                  # (B, N + 1, dim)
    for block in blocks[:index]:             # run the layers before the one we look at
        x = block(x)
    block = blocks[index]
    h = block.norm1(x)                       # pre-norm: attention reads normalised tokens
    _, weights = block.self_attn(h, h, h, need_weights=True, average_attn_weights=True)
    cls_row = weights[:, 0, 1:]              # (B, N): query = class token, keys = patches
    side = math.isqrt(cls_row.shape[1])
    return cls_row.reshape(-1, side, side)   # patches were listed row by row


if __name__ == "__main__":
    torch.manual_seed(0)
    X_train, y_train, X_val, y_val, X_test, y_test = load_digit_splits()
    images, labels = X_test[:3], y_test[:3]

    def show(name, maps, k, when):
        big = maps[k].repeat_interleave(2, 0).repeat_interleave(2, 1)   # 4x4 -> 8x8
        side_by_side = torch.cat([images[k, 0], torch.zeros(8, 1), big / big.max()], dim=1)
        report.plot(name, side_by_side, kind="image",
                    title=f"a {labels[k].item()} and where the class token looks ({when})")

    model = ViT()
    before = cls_attention(model, images)          # untrained: attention is nearly uniform
    print("before training, class-token attention ranges from "
          f"{before.min().item():.3f} to {before.max().item():.3f} (uniform would be 1/17)")
    show("attention, untrained", before, 0, "untrained")

    print("training a ViT with 2x2 patches (16 patches + the class token) ...")
    model = train_vit(model, X_train, y_train, X_val, y_val,
                      generator=torch.Generator().manual_seed(0))
    print(f"test accuracy {evaluate(model, X_test, y_test)[1]:.3f}")
    device = next(model.parameters()).device
    maps = cls_attention(model, images.to(device)).cpu()
    print("attention maps", tuple(maps.shape), "- each sums to", [
        round(v, 3) for v in maps.sum((1, 2)).tolist()], "(the rest goes to the class token)")
    for k in range(len(images)):
        show(f"attention {k}", maps, k, "trained")
