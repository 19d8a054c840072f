"""The class token and learned position embeddings.

After the patch embedding, a ViT puts one extra, learned token in front of the patch tokens:
the class token. It belongs to no patch; through attention it gathers what the classifier
needs. Then it adds a learned position embedding to every token, so the model can tell the
top-left patch from the bottom-right one.
"""

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
        # TODO 1: self.cls_token: a learned (1, 1, dim) parameter, zeros to start with.
        # TODO 2: self.pos_embed: a learned parameter with one row per token, the class token
        #         included: shape (1, N + 1, dim); start from small random values
        #         (0.02 * torch.randn(...)).
        raise NotImplementedError("ViTEmbedding.__init__: fill in TODOs 1-2")

    def forward(self, images):
        tokens = self.patch(images)   # (B, N, dim)
        # TODO 3: make the class token one row per image: (B, 1, dim) (expand, no copy needed).
        # TODO 4: put it in front of the patch tokens: (B, N + 1, dim).
        # TODO 5: add the position embeddings to all N + 1 tokens (broadcasting over the
        #         batch) and return the result.
        raise NotImplementedError("ViTEmbedding.forward: fill in TODOs 3-5")


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
