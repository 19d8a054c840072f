# Mistake: the stride is left at its default of 1, so the windows overlap.
import torch
from torch import nn


def patchify(images, patch_size):
    B, C, H, W = images.shape
    P = patch_size
    x = images.reshape(B, C, H // P, P, W // P, P).permute(0, 2, 4, 1, 3, 5)
    return x.reshape(B, (H // P) * (W // P), C * P * P)


class PatchEmbed(nn.Module):
    def __init__(self, in_channels, patch_size, dim):
        super().__init__()
        self.patch_size = patch_size
        self.proj = nn.Conv2d(in_channels, dim, kernel_size=patch_size)

    def forward(self, images):
        return self.proj(images).flatten(2).transpose(1, 2)


def linear_from_conv(conv):
    out_channels, in_channels, kh, kw = conv.weight.shape
    linear = nn.Linear(in_channels * kh * kw, out_channels)
    with torch.no_grad():
        linear.weight.copy_(conv.weight.reshape(out_channels, -1))
        linear.bias.copy_(conv.bias)
    return linear
