"""Check patchify(images, patch_size): shape, patch order (row by row), the order of the values
inside each patch (channel, row, column, as nn.Unfold and a Conv2d's weights use), a
ValueError for sizes that do not divide, and no in-place change of the input.

The cases use non-square images, several channels and distinct values everywhere, so a
transposed grid or a channels-last flattening cannot match by accident. Values are copied,
not computed, so the comparison is exact (atol 1e-6 for safety).
"""

import torch
import torch.nn.functional as F

from homl_tui.checks import CheckFailed, describe, expect_type, fail, require_function


def _expected(images, P):
    return F.unfold(images, kernel_size=P, stride=P).transpose(1, 2)


def _column_major(images, P):
    B, C, H, W = images.shape
    x = images.reshape(B, C, H // P, P, W // P, P).permute(0, 4, 2, 1, 3, 5)
    return x.reshape(B, -1, C * P * P)


def _channels_last(images, P):
    B, C, H, W = images.shape
    x = images.reshape(B, C, H // P, P, W // P, P).permute(0, 2, 4, 3, 5, 1)
    return x.reshape(B, -1, C * P * P)


def _same(a, b):
    return a.shape == b.shape and torch.allclose(a.double(), b.double(), atol=1e-6)


def _one_case(fn, images, P, number):
    label = f"patchify(images, {P})"
    where = f"On test input #{number} (images: {describe(images)}, patch_size={P})"
    before = images.clone()
    got = fn(images, P)
    try:
        if not torch.equal(images, before):
            fail("your function changed `images` in place. Leave the input as it was.")
        expect_type(label, got, torch.Tensor, "torch.Tensor")
        B, C, H, W = images.shape
        n, d = (H // P) * (W // P), C * P * P
        shape = tuple(got.shape)
        if shape != (B, n, d):
            if len(shape) == 3 and shape[0] == B and shape[1] * shape[2] == n * d:
                fail(f"`{label}` has shape {shape}: the right number of values, but axis 1 "
                     "should count the patches and axis 2 the values of one patch "
                     "(channels times patch_size squared).")
            fail(f"`{label}` has shape {shape}: it should be (batch, number of patches, "
                 "values per patch), with one patch per patch_size x patch_size square.")
        got = got.detach().cpu()
        expected = _expected(images, P)
        if _same(got, expected):
            return
        if _same(got, _column_major(images, P)):
            fail(f"`{label}` lists the patches column by column (down first). The convention "
                 "is the reading order: left to right along the top row of patches, then "
                 "the next row. Check the order of the two grid axes in your permute.")
        if C > 1 and _same(got, _channels_last(images, P)):
            fail(f"`{label}` flattens each patch with the channels last (row, column, "
                 "channel). Keep the channel axis first inside a patch, so that the values "
                 "line up with a Conv2d's (out, in, kh, kw) weights and with nn.Unfold.")
        if _same(got.sort(dim=-1).values, expected.sort(dim=-1).values):
            fail(f"`{label}` holds the right pixels in each patch, but not in the right order "
                 "inside the patch: flatten channel first, then pixel row, then pixel column.")
        fail(f"`{label}` mixes up pixels: some patches hold pixels that are not from one "
             "patch_size x patch_size square of the image. A plain reshape of (B, C, H, W) "
             "cannot do this alone: split H and W into (grid, inside) axes, permute so the "
             "two grid axes come right after the batch, then reshape.")
    except CheckFailed as exc:
        fail(f"{where}: {exc.message}")


def check(learner, ctx):
    fn = require_function(learner, "patchify")
    g = torch.Generator().manual_seed(ctx.seed + 7)

    def distinct(*shape):  # a random permutation of 0..n-1: every pixel value is unique
        return torch.randperm(int(torch.tensor(shape).prod()), generator=g).float().reshape(shape)

    cases = [
        (torch.arange(16.0).reshape(1, 1, 4, 4), 2),
        (distinct(2, 1, 8, 12), 4),
        (distinct(3, 3, 6, 4), 2),
        (torch.randn(2, 3, 12, 8, generator=g), 4),
        (distinct(1, 2, 5, 10), 5),
        (distinct(4, 1, 8, 8), 8),
    ]
    for number, (images, P) in enumerate(cases, start=1):
        _one_case(fn, images, P, number)
    try:
        fn(torch.zeros(1, 1, 8, 6), 4)
    except ValueError:
        pass
    except Exception as exc:  # noqa: BLE001 - any other error is the wrong kind
        fail(f"patchify(images of size 8x6, 4) raised {type(exc).__name__}; raise a "
             "ValueError when the patch size does not divide the height and the width.")
    else:
        fail("patchify(images of size 8x6, 4) did not raise: 6 is not a multiple of 4, so "
             "the last column of pixels would be dropped or mixed. Raise a ValueError when "
             "the patch size does not divide the height and the width.")
