"""Check cls_attention(model, images, layer): the class token's attention on the patches in the
chosen encoder layer, averaged over heads, as a (B, h, w) grid in reading order.

The model is the reference ViT (2x2 patches on 8x8 digits, 3 layers) with seeded random weights,
sharpened so that attention is far from uniform: the query and key projections are scaled by 4
and the position embeddings by 25. Every mistake below then moves some entry by 0.01 or more,
while the reference computation is reproduced to float32 rounding (about 1e-7); we allow 1e-5.
"""

import math

import torch
from sklearn.datasets import load_digits

from homl_tui.checks import CheckFailed, expect_type, fail, require_function

ATOL = 1e-5


def _model(ctx):
    ctx.reseed()
    model = ctx.reference.ViT(patch_size=2, dim=32, depth=3, heads=4, mlp_dim=64)
    with torch.no_grad():
        model.embed.cls_token.normal_()
        model.embed.pos_embed.mul_(25.0)
        for block in model.encoder.layers:
            dim = block.self_attn.embed_dim
            block.self_attn.in_proj_weight[:2 * dim].mul_(4.0)
    return model.eval()


@torch.no_grad()
def _weights(model, images, index, norm=True):
    """All attention weights (B, heads, T, T) of layer `index`, and its input."""
    x = model.embed(images)
    for block in model.encoder.layers[:index]:
        x = block(x)
    block = model.encoder.layers[index]
    h = block.norm1(x) if norm else x
    _, w = block.self_attn(h, h, h, need_weights=True, average_attn_weights=False)
    return w


def _grid(rows):
    side = math.isqrt(rows.shape[-1])
    return rows.reshape(rows.shape[0], side, side)


def _same(a, b):
    return a.shape == b.shape and torch.allclose(a, b, atol=ATOL, rtol=0)


def _one_case(fn, model, images, layer, number):
    depth = len(model.encoder.layers)
    index = layer % depth
    label = f"cls_attention(model, images, layer={layer})"
    where = f"On test #{number} ({len(images)} digits, layer={layer} of a {depth}-layer ViT)"
    got = fn(model, images, layer)
    try:
        expect_type(label, got, torch.Tensor, "torch.Tensor")
        got = got.detach().cpu().float()
        B, side = len(images), 4
        if tuple(got.shape) != (B, side, side):
            if tuple(got.shape) in ((B, side * side), (B, side * side + 1)):
                fail(f"`{label}` has shape {tuple(got.shape)}: reshape the row of weights "
                     f"into the {side}x{side} grid of patches, one map per image.")
            if len(got.shape) == 4:
                fail(f"`{label}` has shape {tuple(got.shape)}: one map per head. Average "
                     "over the heads (average_attn_weights=True does it for you).")
            fail(f"`{label}` has shape {tuple(got.shape)}; it should be ({B}, {side}, "
                 f"{side}): one {side}x{side} map per image, one cell per patch.")
        w = _weights(model, images, index)
        mean = w.mean(1)
        expected = _grid(mean[:, 0, 1:])
        if _same(got, expected):
            totals = got.sum((1, 2))
            if (totals > 1 + 1e-5).any():
                fail(f"`{label}` has a map summing to more than 1.")
            return
        if _same(got, expected.transpose(1, 2)):
            fail(f"`{label}` is transposed: the patches are listed row by row, so the "
                 "first side-many weights fill the top row of the map. Reshape without "
                 "transposing.")
        if _same(got, _grid(mean[:, 1:, 0])):
            fail(f"`{label}` holds how much each patch attends to the class token (a "
                 "column of the attention matrix). The question is where the class token "
                 "looks: its row, with the class token as the query.")
        if _same(got, _grid(mean[:, 0, :-1])):
            fail(f"`{label}` is shifted by one token: it starts with the class token's "
                 "attention to itself (position 0) and drops the last patch. The patches "
                 "are tokens 1 to N.")
        if any(_same(got, _grid(w[:, h, 0, 1:])) for h in range(w.shape[1])):
            fail(f"`{label}` shows a single head. Average the weights over all the heads.")
        if _same(got, _grid(_weights(model, images, index, norm=False).mean(1)[:, 0, 1:])):
            fail(f"`{label}` skips the layer's first LayerNorm. With norm_first=True the "
                 "layer computes self_attn(norm1(x), ...): apply block.norm1 to the tokens "
                 "before calling self_attn.")
        others = [i for i in range(depth) if i != index]
        if any(_same(got, _grid(_weights(model, images, i).mean(1)[:, 0, 1:])) for i in others):
            fail(f"`{label}` shows the attention of another layer. Run the tokens through "
                 "the layers before the one asked for (layer may be negative: -1 is the "
                 "last), then read the attention of that layer.")
        fail(f"`{label}` does not match the class token's attention on the patches. Embed "
             "the images, run them through the earlier layers, normalise with norm1, call "
             "self_attn with need_weights=True, and keep row 0, columns 1 to N.")
    except CheckFailed as exc:
        fail(f"{where}: {exc.message}")


def check(learner, ctx):
    fn = require_function(learner, "cls_attention")
    model = _model(ctx)
    digits = load_digits()
    X = torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16.0
    g = torch.Generator().manual_seed(ctx.seed + 5)
    cases = [(X[:6], -1), (X[torch.randperm(len(X), generator=g)[:5]], 0), (X[10:13], 1),
             (X[20:21], -2)]
    for number, (images, layer) in enumerate(cases, start=1):
        _one_case(fn, model, images, layer, number)
