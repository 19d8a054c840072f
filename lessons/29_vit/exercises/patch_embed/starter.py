"""A patch embedding, two ways: a strided convolution, and a linear layer on flat patches.

Every patch is mapped to a vector of `dim` numbers by the same linear map: that is exactly what
a Conv2d does when its kernel covers one patch and it jumps a whole patch at a time.
"""

import torch
from sklearn.datasets import load_digits
from torch import nn

from homl_tui import report

# ---- Done for you: your solution to the previous exercise. ----

def patchify(images, patch_size):
    B, C, H, W = images.shape
    P = patch_size
    if H % P or W % P:
        raise ValueError(f"image size {H}x{W} is not a multiple of the patch size {P}")
    x = images.reshape(B, C, H // P, P, W // P, P).permute(0, 2, 4, 1, 3, 5)
    return x.reshape(B, (H // P) * (W // P), C * P * P)


# ---- This exercise. ----

class PatchEmbed(nn.Module):
    """Map (B, C, H, W) images to (B, N, dim) patch embeddings with one strided convolution."""

    def __init__(self, in_channels, patch_size, dim):
        super().__init__()
        self.patch_size = patch_size
        # TODO 1: self.proj = an nn.Conv2d from in_channels to dim channels whose windows are
        #         the patches: they must not overlap and must not leave gaps.
        raise NotImplementedError("PatchEmbed.__init__: fill in TODO 1")

    def forward(self, images):
        # TODO 2: apply self.proj: (B, dim, H // P, W // P), one column of dim numbers per patch.
        # TODO 3: flatten the two grid axes into one, then move the tokens to axis 1:
        #         return a (B, N, dim) tensor, tokens in reading order.
        raise NotImplementedError("PatchEmbed.forward: fill in TODOs 2-3")


def linear_from_conv(conv):
    """Return an nn.Linear such that linear(patchify(images, P)) equals the tokens the
    convolution `conv` gives (kernel = stride = P), for any images."""
    # TODO 4: read the sizes from conv.weight.shape: (out_channels, in_channels, P, P).
    # TODO 5: build nn.Linear(in_channels * P * P, out_channels) and, under torch.no_grad(),
    #         copy the conv's weights into it (one row per output channel, flattened in the
    #         same order as patchify flattens a patch) and the conv's bias.
    raise NotImplementedError("linear_from_conv: fill in TODOs 4-5")


if __name__ == "__main__":
    torch.manual_seed(0)
    images = torch.tensor(load_digits().images[:5], dtype=torch.float32)[:, None] / 16
    embed = PatchEmbed(in_channels=1, patch_size=2, dim=16)
    tokens = embed(images)
    linear = linear_from_conv(embed.proj)
    same = linear(patchify(images, 2))
    print("images", tuple(images.shape), "-> tokens", tuple(tokens.shape))
    print("conv weights", tuple(embed.proj.weight.shape), "-> linear weights",
          tuple(linear.weight.shape))
    print("largest difference conv vs linear:", (tokens - same).abs().max().item())
    report.plot("tokens", tokens[0].detach(), kind="image",
                title="one digit as 16 tokens (rows) of 16 numbers")
