"""A small vision transformer, trained on scikit-learn's 8x8 digits with live curves.

Press Run to train it (about half a minute on a CPU) and watch train_loss, val_loss and val_acc
in the Metrics tab; Check trains it once more with the settings at the top and scores it on
360 test digits it never saw.
"""

import math

import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from torch import nn

from homl_tui import report
from homl_tui.runtime.device import default_device

PATCH_SIZE = 4      # 8x8 digits -> 4 patches of 4x4 (try 2: 16 patches, 2.5x slower)
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
        # TODO 1: self.encoder = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
        #         where layer = nn.TransformerEncoderLayer(dim, heads, dim_feedforward=mlp_dim,
        #         dropout=0.0, activation="gelu", norm_first=True, ...) and one more argument
        #         that matters: our tensors are (batch, tokens, dim).
        # TODO 2: self.norm = nn.LayerNorm(dim) (the final normalisation) and
        #         self.head = nn.Linear(dim, num_classes).
        raise NotImplementedError("ViT.__init__: fill in TODOs 1-2")

    def forward(self, images):
        # TODO 3: embed -> encoder -> norm, then give the head the class token (position 0)
        #         and return the (B, num_classes) logits.
        raise NotImplementedError("ViT.forward: fill in TODO 3")


@torch.no_grad()
def evaluate(model, X, y, batch_size=512):
    """(mean cross-entropy, accuracy) of the model on X, y, in eval mode. Done for you."""
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
    # TODO 4: optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01) and
    #         schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr,
    #                                                        total_steps=<number of steps>)
    # TODO 5: for every epoch: model.train(); shuffle with
    #         torch.randperm(len(X_train), generator=generator); for every minibatch (move it
    #         to `device`): cross-entropy loss, zero_grad, backward, optimizer.step(),
    #         schedule.step(), then report.metric(step=step, train_loss=loss.item()); step += 1
    # TODO 6: after every epoch: val_loss, val_acc = evaluate(model, <validation data>);
    #         report.metric(step=step, val_loss=val_loss, val_acc=val_acc);
    #         report.progress(epoch + 1, epochs)
    # TODO 7: return model
    raise NotImplementedError("train_vit: fill in TODOs 4-7")


if __name__ == "__main__":
    torch.manual_seed(0)
    X_train, y_train, X_val, y_val, X_test, y_test = load_digit_splits()
    model = ViT()
    print(f"ViT with {sum(p.numel() for p in model.parameters()):,} parameters, "
          f"{model.embed.num_patches} patches of {PATCH_SIZE}x{PATCH_SIZE}, on {default_device()}")
    model = train_vit(model, X_train, y_train, X_val, y_val,
                      generator=torch.Generator().manual_seed(0))
    test_loss, test_acc = evaluate(model, X_test, y_test)
    print(f"test accuracy {test_acc:.3f} (loss {test_loss:.3f}) on {len(y_test)} held-out digits")
    with torch.no_grad():
        pred = model(X_test.to(next(model.parameters()).device)).argmax(1).cpu()
    confusion = torch.zeros(10, 10, dtype=torch.int64)
    confusion.index_put_((y_test, pred), torch.ones_like(y_test), accumulate=True)
    report.plot("confusion", confusion, list(range(10)), kind="matrix",
                title="test digits: true (rows) vs predicted", xlabel="predicted", ylabel="true")
    wrong = (pred != y_test).nonzero().flatten()
    if len(wrong):
        i = wrong[0].item()
        report.plot("mistake", X_test[i, 0], kind="image",
                    title=f"a {y_test[i].item()} read as {pred[i].item()}")
