"""Check first_conv_maps (forward hook on the first Conv2d) and grid (tiling with per-map
scaling).

first_conv_maps runs on two seeded models, each in train mode as after training, with
BatchNorm running statistics set away from their defaults: an nn.Sequential, and a custom
nn.Module whose first conv sits inside a submodule (so slicing a Sequential is not enough).
Its result must equal the first conv layer's output (rtol 1e-5 / atol 1e-6); afterwards no
hook may be left on any module and the running statistics must be unchanged.
grid is compared exactly (atol 1e-6) with the reference layout on maps that include a
constant one (a dead filter), for several numbers of columns.
"""

import math

import torch
from sklearn.datasets import load_digits
from torch import nn

from homl_tui.checks import CheckFailed, expect_close, fail, require_function

GAP = -0.25


class _Net(nn.Module):
    """Not a Sequential: the first conv is inside `features`, after a fixed scaling."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 5, 3), nn.BatchNorm2d(5), nn.ReLU(),
            nn.Conv2d(5, 6, 3, padding=1), nn.ReLU())
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(6 * 6 * 6, 10))

    def forward(self, x):
        return self.head(self.features(2.0 * x - 1.0))


def _sequential():
    return nn.Sequential(
        nn.Conv2d(1, 6, 3, padding=1), nn.BatchNorm2d(6), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 12, 3, padding=1), nn.BatchNorm2d(12), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(12 * 2 * 2, 10))


def _prepare(model, g):
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.copy_(torch.randn(m.num_features, generator=g))
                m.running_var.copy_(torch.rand(m.num_features, generator=g) + 0.5)
    return model.train()


def _state(model):
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def _hooks_left(model):
    return [f"`{name}` ({type(m).__name__})" if name else "the model itself"
            for name, m in model.named_modules() if m._forward_hooks or m._forward_pre_hooks]


def _check_maps(fn, model, image, label, device, first_conv, expected_input):
    before = _state(model)
    got = fn(model, image.clone())
    where = f"With {label}"
    if got is None:
        fail(f"{where}: first_conv_maps returned None: did you forget to `return` the maps?")
    if not isinstance(got, torch.Tensor):
        fail(f"{where}: first_conv_maps returned a {type(got).__name__}; return a tensor.")
    left = _hooks_left(model)
    if left:
        fail(f"{where}: after first_conv_maps returned, a forward hook is still registered "
             f"(on {left[0]}). It would keep firing at every later forward pass: keep the "
             "handle that register_forward_hook returns and call handle.remove() when done "
             "(in a finally block).")
    after = _state(model)
    changed = [k for k in before if not torch.equal(before[k], after[k])]
    if any("running" in k for k in changed):
        fail(f"{where}: calling first_conv_maps changed the BatchNorm running statistics "
             "of the model: the forward pass ran in train mode, so BatchNorm updated them "
             "from this single image. Switch the model to eval mode (model.eval()) before "
             "the forward pass.")
    if changed:
        fail(f"{where}: calling first_conv_maps changed the model's parameters "
             f"({changed[0]}). Looking inside must not modify the model.")
    if got.requires_grad:
        fail(f"{where}: the maps returned still require grad: run the forward pass inside "
             "torch.no_grad() or .detach() the captured output.")
    with torch.no_grad():
        want = first_conv(expected_input.to(device)).cpu()
    got = got.detach().cpu()
    c, h, w = want.shape[1:]
    if tuple(got.shape) == (1, c, h, w):
        fail(f"{where}: the maps have shape {tuple(got.shape)}: drop the batch axis and "
             "return (C, H, W) for this one image.")
    if tuple(got.shape) != (c, h, w):
        fail(f"{where}: the maps have shape {tuple(got.shape)}: the first conv layer of "
             "this model does not produce that. Hook the first nn.Conv2d of "
             "model.modules() (the model is not always an nn.Sequential).")
    if torch.allclose(got, want.clamp_min(0)[0], atol=1e-6) or (
            not torch.allclose(got, want[0], rtol=1e-5, atol=1e-6) and got.min() >= 0):
        fail(f"{where}: the maps are never negative, but the first conv layer's outputs "
             "are: these look like activations after BatchNorm and/or the ReLU, not the "
             "conv layer's own output. Hook the nn.Conv2d itself.")
    if not torch.allclose(got, want[0], rtol=1e-5, atol=1e-6):
        with torch.no_grad():
            direct = first_conv(image[None].to(device)).cpu()[0]
        if torch.allclose(got, direct, rtol=1e-5, atol=1e-6):
            fail(f"{where}: the maps are the first conv layer applied directly to the image, "
                 "but this model transforms its input before that layer (look at its "
                 "forward). Run the whole model on the image and catch the layer's output "
                 "with a forward hook.")
    expect_close(f"first_conv_maps(...) ({label})", got, want[0], rtol=1e-5, atol=1e-6)


def _reference_grid(maps, ncols):
    c, h, w = maps.shape
    rows = math.ceil(c / ncols)
    out = torch.full((rows * (h + 1) - 1, ncols * (w + 1) - 1), GAP)
    for k in range(c):
        m = maps[k]
        span = m.max() - m.min()
        scaled = (m - m.min()) / span if span > 0 else torch.zeros_like(m)
        r, col = divmod(k, ncols)
        out[r * (h + 1):r * (h + 1) + h, col * (w + 1):col * (w + 1) + w] = scaled
    return out


def _check_grid(fn, g):
    cases = [(torch.randn(8, 5, 5, generator=g) * 3, 4, "8 maps of 5x5 in 4 columns"),
             (torch.randn(5, 4, 6, generator=g), 3, "5 maps of 4x6 in 3 columns"),
             (torch.randn(6, 3, 3, generator=g) + 2, 6, "6 maps of 3x3 in one row")]
    cases[0][0][2] = 0.0      # a dead filter: a map that is zero everywhere
    cases[1][0][4] = 1.5      # a constant map that is not zero
    for maps, ncols, label in cases:
        where = f"On {label} (one of them constant)"
        maps0 = maps.clone()
        got = fn(maps.clone(), ncols)
        want = _reference_grid(maps0, ncols)
        try:
            if not isinstance(got, torch.Tensor):
                fail(f"grid returned a {type(got).__name__}; return a torch tensor.")
            got = got.detach().cpu().float()
            if tuple(got.shape) != tuple(want.shape):
                fail(f"grid returned shape {tuple(got.shape)}: it should hold "
                     "ceil(C / ncols) rows and ncols columns of tiles, with a 1-pixel gap "
                     "between neighbouring tiles (and none around the border).")
            if not torch.isfinite(got).all():
                fail("grid returned NaN values: a constant map has max - min = 0, and "
                     "dividing by zero gives NaN. A constant map should become all zeros.")
            global_scaled = (maps0 - maps0.min()) / (maps0.max() - maps0.min())
            if torch.allclose(got, _tile_like(global_scaled, want, ncols), atol=1e-5):
                fail("grid scales all the maps together, with one minimum and one maximum. "
                     "Scale each map on its own, so that a filter with weak responses "
                     "still shows its pattern.")
            expect_close("grid(...)", got, want, atol=1e-6)
        except CheckFailed as exc:
            fail(f"{where}: {exc.message}")


def _tile_like(scaled, want, ncols):
    out = torch.full_like(want, GAP)
    c, h, w = scaled.shape
    for k in range(c):
        r, col = divmod(k, ncols)
        out[r * (h + 1):r * (h + 1) + h, col * (w + 1):col * (w + 1) + w] = scaled[k]
    return out


def check(learner, ctx):
    maps_fn = require_function(learner, "first_conv_maps")
    grid_fn = require_function(learner, "grid")
    torch.set_grad_enabled(True)
    device = ctx.device
    X, _ = load_digits(return_X_y=True)
    digits = torch.as_tensor(X[:40], dtype=torch.float32).reshape(-1, 1, 8, 8) / 16.0

    ctx.reseed()
    g = torch.Generator().manual_seed(ctx.seed + 5)
    seq = _prepare(_sequential(), g).to(device)
    _check_maps(maps_fn, seq, digits[3], "an nn.Sequential model", device, seq[0],
                digits[3:4])

    net = _prepare(_Net(), g).to(device)
    _check_maps(maps_fn, net, digits[17], "a model that is not an nn.Sequential", device,
                net.features[0], 2.0 * digits[17:18] - 1.0)

    _check_grid(grid_fn, g)
