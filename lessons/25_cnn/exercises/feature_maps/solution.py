"""Look inside a CNN: catch the first conv layer's feature maps with a forward hook and lay
them out as one picture for the terminal.

first_conv_maps(model, image)   (1, 8, 8) digit -> (C, 8, 8) maps of the first nn.Conv2d
grid(maps, ncols)               (C, H, W) maps  -> one 2-D picture of tiles, each scaled to [0, 1]
"""

import math

import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from torch import nn

from homl_tui import report
from homl_tui.runtime.device import default_device

GAP_VALUE = -0.25  # a little darker than any scaled pixel, so the tiles stand apart


def first_conv_maps(model, image):
    """The output of the first nn.Conv2d in model.modules() when the model classifies image.

    image: a (1, H, W) tensor, one gray image without a batch axis. Returns a detached
    (C_out, H', W') tensor on the CPU. Works for any nn.Module (not only nn.Sequential), on
    whatever device the model lives, and leaves the model as it was: no hook left behind,
    no change to BatchNorm's running statistics.
    """
    conv = next((m for m in model.modules() if isinstance(m, nn.Conv2d)), None)
    if conv is None:
        raise ValueError("the model has no nn.Conv2d layer")
    captured = []
    handle = conv.register_forward_hook(lambda module, inputs, output: captured.append(output))
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            model(image.unsqueeze(0).to(device))
    finally:
        handle.remove()
        model.train(was_training)
    return captured[0][0].detach().cpu()


def grid(maps, ncols=4):
    """Tile (C, H, W) maps into one 2-D tensor: map k goes to tile row k // ncols, tile
    column k % ncols. Each map is min-max scaled to [0, 1] on its own (a constant map
    becomes all zeros). Tiles are separated by 1-pixel gaps; gaps and empty tiles hold
    GAP_VALUE. Shape: (rows * (H + 1) - 1, ncols * (W + 1) - 1), rows = ceil(C / ncols).
    """
    maps = maps.detach().cpu().float()
    c, h, w = maps.shape
    rows = math.ceil(c / ncols)
    out = torch.full((rows * (h + 1) - 1, ncols * (w + 1) - 1), GAP_VALUE)
    low = maps.amin(dim=(1, 2), keepdim=True)
    high = maps.amax(dim=(1, 2), keepdim=True)
    span = high - low
    scaled = torch.where(span > 0, (maps - low) / span.clamp_min(1e-12), torch.zeros_like(maps))
    for k in range(c):
        r, col = divmod(k, ncols)
        out[r * (h + 1):r * (h + 1) + h, col * (w + 1):col * (w + 1) + w] = scaled[k]
    return out


# ---- Done for you: a quickly trained digits CNN (as in the previous exercise). ----

def train_digits_cnn(epochs=4, device="cpu"):
    X, y = load_digits(return_X_y=True)
    images = torch.as_tensor(X, dtype=torch.float32).reshape(-1, 1, 8, 8) / 16.0
    labels = torch.as_tensor(y)
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 2 * 2, 10),
    ).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    g = torch.Generator().manual_seed(0)
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(images), generator=g)
        for start in range(0, len(images), 32):
            idx = order[start:start + 32]
            loss = F.cross_entropy(model(images[idx].to(device)), labels[idx].to(device))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        report.progress(epoch + 1, epochs)
    return model, images, labels


if __name__ == "__main__":
    device = default_device()
    model, images, labels = train_digits_cnn(device=device)
    digit = images[10]                      # a 0
    maps = first_conv_maps(model, digit)
    print(f"digit {int(labels[10])}: image {tuple(digit.shape)} -> first-layer maps "
          f"{tuple(maps.shape)}, values from {maps.min():.2f} to {maps.max():.2f}")
    weights = model[0].weight.detach().cpu()[:, 0]   # (8, 3, 3): the 8 learned filters
    report.plot("digit", digit[0], kind="image", title=f"the input: a {int(labels[10])}")
    report.plot("filters", grid(weights, 4), kind="image",
                title="the 8 learned 3x3 filters of the first conv layer")
    report.plot("feature maps", grid(maps, 4), kind="image",
                title="what each filter sees: the 8 feature maps of the first conv layer")
