"""Check ViTEmbedding: cls_token (1, 1, dim) and pos_embed (1, N + 1, dim) registered as
nn.Parameters, output (B, N + 1, dim) with the class token first and a position embedding added
to every token (class token included), for several batch sizes (broadcast, not copied per
image), and gradients that reach both parameters.

The check overwrites cls_token and pos_embed with seeded random values of unit scale, so a
missing or misplaced term is off by about 1; the reference matches to float32 rounding (1e-6);
we allow 1e-5.
"""

import torch
from torch import nn

from homl_tui.checks import fail

ATOL = 1e-5


def _close(a, b):
    return a.shape == b.shape and torch.allclose(a, b, atol=ATOL, rtol=0)


def _parameter(embed, name, shape, why):
    value = getattr(embed, name, None)
    if value is None:
        fail(f"ViTEmbedding has no attribute `{name}`: create it in __init__ ({why}).")
    if not isinstance(value, nn.Parameter):
        fail(f"`self.{name}` is a {type(value).__name__}, not an nn.Parameter, so it is not "
             "registered: model.parameters() does not list it and the optimizer would never "
             f"learn it. Wrap it: self.{name} = nn.Parameter(...).")
    if tuple(value.shape) != shape:
        extra = ""
        if name == "pos_embed" and tuple(value.shape) == (1, shape[1] - 1, shape[2]):
            extra = (" It has one row per patch, but the class token needs a position too: "
                     "one row per token, N + 1 in all.")
        fail(f"`self.{name}` has shape {tuple(value.shape)}; it should be {shape}: {why}."
             + extra)
    return value


def _one_case(cls, image_size, P, C, D, batch, g, number):
    where = (f"ViTEmbedding(image_size={image_size}, patch_size={P}, in_channels={C}, "
             f"dim={D}) on a batch of {batch}")
    torch.manual_seed(number)
    embed = cls(image_size, P, C, D)
    n = (image_size // P) ** 2
    cls_token = _parameter(embed, "cls_token", (1, 1, D),
                           "one learned vector, shared by every image")
    pos = _parameter(embed, "pos_embed", (1, n + 1, D),
                     "one learned vector per position, shared by every image")
    names = {id(p) for p in embed.parameters()}
    if id(cls_token) not in names or id(pos) not in names:
        fail("cls_token or pos_embed is not among the module's parameters.")
    patch = getattr(embed, "patch", None)
    if not isinstance(patch, nn.Module):
        fail("Keep the patch embedding as `self.patch = PatchEmbed(in_channels, patch_size, "
             "dim)`.")
    with torch.no_grad():
        cls_token.copy_(torch.randn(1, 1, D, generator=g))
        pos.copy_(torch.randn(1, n + 1, D, generator=g))
    images = torch.randn(batch, C, image_size, image_size, generator=g)
    got = embed(images)
    shape = tuple(got.shape)
    if shape != (batch, n + 1, D):
        fail(f"{where}: the output has shape {shape}; it should be (batch, N + 1, dim): the "
             "N patch tokens plus one class token per image.")
    with torch.no_grad():
        tokens = patch(images)
        cls_rows = cls_token.expand(batch, 1, D)
        expected = torch.cat([cls_rows, tokens], dim=1) + pos
        out = got.detach()
        if _close(out, expected):
            pass
        elif _close(out, torch.cat([tokens, cls_rows], dim=1) + pos) or _close(
                out, torch.cat([tokens + pos[:, 1:], cls_rows + pos[:, :1]], dim=1)):
            fail(f"{where}: the class token is the last token. By convention it goes first "
                 "(position 0), which is where the classifier will look for it.")
        elif _close(out[:, 1:], expected[:, 1:]) and _close(out[:, :1], cls_rows):
            fail(f"{where}: the patch tokens are right, but the class token (row 0) did not "
                 "get its position embedding. Add pos_embed after putting the class token in "
                 "front, so that all N + 1 tokens get one.")
        elif not _close(out[:, 1:], expected[:, 1:]):
            fail(f"{where}: the patch tokens (rows 1 to N) are not self.patch(images) plus "
                 "the position embeddings of positions 1 to N.")
        else:
            fail(f"{where}: the class token (row 0) is not cls_token plus the position "
                 "embedding of position 0, the same for every image.")
    got.pow(2).sum().backward()
    for name, p in (("cls_token", cls_token), ("pos_embed", pos)):
        if p.grad is None or not torch.isfinite(p.grad).all() or p.grad.abs().sum() == 0:
            fail(f"{where}: no gradient reached `self.{name}`. Use the parameter itself in "
                 "forward (expand or repeat it, then concatenate), not a detached copy, "
                 "so that training can learn it.")


def check(learner, ctx):
    cls = getattr(learner, "ViTEmbedding", None)
    if not isinstance(cls, type) or not issubclass(cls, nn.Module):
        fail("Define a class `ViTEmbedding(nn.Module)` in your file.")
    g = torch.Generator().manual_seed(ctx.seed + 3)
    cases = [(8, 2, 1, 16, 4), (8, 4, 1, 8, 1), (12, 4, 3, 10, 3), (6, 2, 2, 6, 7)]
    for number, (image_size, P, C, D, batch) in enumerate(cases, start=1):
        _one_case(cls, image_size, P, C, D, batch, g, number)
