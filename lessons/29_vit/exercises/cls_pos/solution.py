"""Reference solution: patch tokens, plus a learned class token in front, plus learned
position embeddings added to every token (the class token included)."""

import torch
from torch import nn

from homl_tui import report

# ---- Done for you: your solution to the previous exercise. ----

class PatchEmbed(nn.Module):
    def __init__(self, in_channels, patch_size, dim):
        super().__init__()
        self.patch_size = patch_size
        self.proj = nn.Conv2d(in_channels, dim, kernel_size=patch_size, stride=patch_size)

    def forward(self, images):
        return self.proj(images).flatten(2).transpose(1, 2)


# ---- This exercise. ----

class ViTEmbedding(nn.Module):
    """(B, C, H, W) images -> (B, N + 1, dim) tokens: [class token, patch 0, ..., patch N-1],
    each plus the learned embedding of its position."""

    def __init__(self, image_size, patch_size, in_channels, dim):
        super().__init__()
        self.patch = PatchEmbed(in_channels, patch_size, dim)
        self.num_patches = (image_size // patch_size) ** 2
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(0.02 * torch.randn(1, self.num_patches + 1, dim))

    def forward(self, images):
        tokens = self.patch(images)                          # (B, N, dim)
        cls = self.cls_token.expand(tokens.shape[0], -1, -1)  # (B, 1, dim), no copy
        tokens = torch.cat([cls, tokens], dim=1)             # (B, N + 1, dim)
        return tokens + self.pos_embed                       # (1, N + 1, dim) broadcasts over B


if __name__ == "__main__":
    torch.manual_seed(0)
    embed = ViTEmbedding(image_size=8, patch_size=2, in_channels=1, dim=32)
    images = torch.rand(5, 1, 8, 8)
    tokens = embed(images)
    print("images", tuple(images.shape), "-> tokens", tuple(tokens.shape))
    for name, p in embed.named_parameters():
        print(f"  {name:18s} {tuple(p.shape)}")
    # Before any training, the class token is the same for every image: only its position
    # embedding is added. Row 0 of every image is identical.
    print("class token rows identical across the batch:",
          bool(torch.allclose(tokens[:, 0], tokens[:1, 0].expand(5, -1))))
    report.plot("tokens", tokens[0].detach(), kind="image",
                title="17 tokens of one image: row 0 is the class token")
