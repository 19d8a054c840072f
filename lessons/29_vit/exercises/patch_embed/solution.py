"""Reference solution: a patch embedding as a strided convolution, and the same map as a
linear layer applied to flattened patches."""

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
        self.proj = nn.Conv2d(in_channels, dim, kernel_size=patch_size, stride=patch_size)

    def forward(self, images):
        x = self.proj(images)                 # (B, dim, H // P, W // P): one column per patch
        return x.flatten(2).transpose(1, 2)   # (B, N, dim), patches in reading order


def linear_from_conv(conv):
    """An nn.Linear that maps patchify(images, P) to the same embeddings as `conv`."""
    out_channels, in_channels, kh, kw = conv.weight.shape
    linear = nn.Linear(in_channels * kh * kw, out_channels, bias=conv.bias is not None)
    with torch.no_grad():
        linear.weight.copy_(conv.weight.reshape(out_channels, -1))
        if conv.bias is not None:
            linear.bias.copy_(conv.bias)
    return linear


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
