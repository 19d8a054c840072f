"""Check PatchEmbed (a Conv2d with kernel = stride = patch size, output (B, N, dim) in reading
order) and linear_from_conv(conv) (an nn.Linear with the conv's weights, flattened in the order
patchify uses: channel, row, column).

Everything is float32 from seeded weights and inputs of unit scale: conv and linear agree to
about 1e-6 (different summation order); we allow 1e-5, while every mistake below is off by
0.1 or more.
"""

import torch
import torch.nn.functional as F
from torch import nn

from homl_tui.checks import expect_type, fail, require_function

ATOL = 1e-5


def _patchify(images, P):
    return F.unfold(images, kernel_size=P, stride=P).transpose(1, 2)


def _close(a, b):
    return a.shape == b.shape and torch.allclose(a, b, atol=ATOL, rtol=0)


def _check_embed(cls, C, P, D, H, W, g, number):
    where = f"PatchEmbed(in_channels={C}, patch_size={P}, dim={D}) on images of shape " \
            f"(2, {C}, {H}, {W})"
    torch.manual_seed(number)
    embed = cls(C, P, D)
    conv = getattr(embed, "proj", None)
    if not isinstance(conv, nn.Conv2d):
        fail("PatchEmbed needs its convolution stored as `self.proj`, an nn.Conv2d.")
    if conv.in_channels != C or conv.out_channels != D:
        fail(f"In {where}: self.proj maps {conv.in_channels} channels to "
             f"{conv.out_channels}; it should take the image's channels in and give `dim` "
             "channels out (one per embedding dimension).")
    if tuple(conv.kernel_size) != (P, P):
        fail(f"In {where}: the kernel size of self.proj is {tuple(conv.kernel_size)}; each "
             "output should see exactly one patch, so the kernel is patch_size x patch_size.")
    images = torch.randn(2, C, H, W, generator=g)
    with torch.no_grad():
        got = embed(images)
    expect_type("PatchEmbed(...)(images)", got, torch.Tensor, "torch.Tensor")
    n = (H // P) * (W // P)
    shape = tuple(got.shape)
    if shape != (2, n, D):
        if len(shape) == 3 and shape[0] == 2 and shape[2] == D and shape[1] > n:
            fail(f"In {where}: the output has shape {shape}, more tokens than there are "
                 "patches. The windows overlap: with a stride smaller than the patch size the "
                 "convolution slides pixel by pixel. Set stride = patch_size.")
        if len(shape) == 3 and shape[0] == 2 and shape[1] == D and shape[2] == n:
            fail(f"In {where}: the output has shape {shape}, with the embedding dimension "
                 "on axis 1. Tokens should run along axis 1 and their features along axis 2: "
                 "(batch, number of patches, dim).")
        fail(f"In {where}: the output has shape {shape}; it should be (batch, number of "
             "patches, dim).")
    with torch.no_grad():
        maps = F.conv2d(images, conv.weight, conv.bias, stride=P)    # (2, D, H/P, W/P)
    expected = maps.flatten(2).transpose(1, 2)
    if _close(got, expected):
        return embed, images, expected
    if _close(got, maps.flatten(2).reshape(2, n, D)):
        fail(f"In {where}: the output has the right shape but scrambled values. The conv "
             "gives (B, dim, rows, cols); reshaping that straight to (B, N, dim) mixes "
             "features of different patches. Flatten the grid, then swap the last two axes "
             "(transpose), which moves values instead of re-cutting them.")
    if _close(got, maps.transpose(2, 3).flatten(2).transpose(1, 2)):
        fail(f"In {where}: the tokens come column by column. Flatten the (rows, cols) grid "
             "as it is, so that the tokens follow the reading order of patchify.")
    fail(f"In {where}: the output is not the strided convolution of the images, one token "
         "per patch in reading order. Use self.proj(images), flatten the grid, transpose.")


def _check_linear(fn, conv, images, expected, where):
    linear = fn(conv)
    expect_type("linear_from_conv(conv)", linear, nn.Linear, "nn.Linear")
    D, C, P, _ = conv.weight.shape
    if linear.in_features != C * P * P or linear.out_features != D:
        fail(f"{where}: linear_from_conv returned nn.Linear({linear.in_features}, "
             f"{linear.out_features}). Its input is one flattened patch (channels times "
             "patch_size squared values) and its output one embedding of `dim` values.")
    if linear.bias is None:
        fail(f"{where}: the linear layer has no bias, but the convolution has one. Copy it.")
    patches = _patchify(images, P)
    with torch.no_grad():
        got = linear(patches)
    if _close(got, expected):
        if linear.weight.data_ptr() == conv.weight.data_ptr():
            fail(f"{where}: the linear layer shares its weight tensor with the conv. Copy "
                 "the values into a new nn.Linear, so the two layers are independent.")
        return
    with torch.no_grad():
        no_bias = patches @ conv.weight.reshape(D, -1).T
        swapped = patches @ conv.weight.permute(0, 2, 3, 1).reshape(D, -1).T
        transposed = patches @ conv.weight.transpose(2, 3).reshape(D, -1).T
    offset = (got - no_bias).reshape(-1, D)
    if torch.allclose(offset, offset[:1].expand_as(offset), atol=ATOL, rtol=0):
        fail(f"{where}: the weights are right, but the bias is not the conv's (the layer "
             "keeps its own, freshly initialised one). Copy conv.bias into linear.bias too.")
    if C > 1 and _close(got, swapped + conv.bias):
        fail(f"{where}: the weights were flattened with the channels last (row, column, "
             "channel), but each patch vector is ordered channel, row, column. A Conv2d "
             "weight is (out, in, kh, kw): reshape it as it is, without permuting.")
    if _close(got, transposed + conv.bias):
        fail(f"{where}: each weight patch is transposed (rows and columns swapped). Reshape "
             "the (out, in, kh, kw) weight as it is, without transposing.")
    fail(f"{where}: linear(patchify(images)) does not give the conv's embeddings. The linear "
         "weight should hold each output channel's kernel, flattened in patchify's order, "
         "one row per output channel; copy the bias too.")


def check(learner, ctx):
    import torch

    cls = getattr(learner, "PatchEmbed", None)
    if not isinstance(cls, type) or not issubclass(cls, nn.Module):
        fail("Define a class `PatchEmbed(nn.Module)` in your file.")
    fn = require_function(learner, "linear_from_conv")
    g = torch.Generator().manual_seed(ctx.seed + 11)
    cases = [(1, 2, 8, 8, 8), (3, 4, 16, 8, 12), (2, 2, 5, 6, 4), (3, 3, 7, 9, 6)]
    for number, (C, P, D, H, W) in enumerate(cases, start=1):
        embed, images, expected = _check_embed(cls, C, P, D, H, W, g, number)
        where = f"On test input #{number} (conv from {C} to {D} channels, patch size {P})"
        _check_linear(fn, embed.proj, images, expected, where)
