"""Cut images into patches: the first step of a vision transformer.

A ViT reads an image as a sequence of small squares. With patches of P x P pixels, an image of
C channels and H x W pixels becomes N = (H // P) * (W // P) patches, each flattened into a
vector of C * P * P numbers.

Conventions (the next exercises rely on them):
  - patches are listed in reading order: the top row of patches from left to right, then the
    next row, and so on;
  - inside a patch the values are ordered channel first, then pixel row, then pixel column
    (the order of a Conv2d's weights, and of nn.Unfold).
"""

import torch
from sklearn.datasets import load_digits

from homl_tui import report


def patchify(images, patch_size):
    """Return a (B, N, C * P * P) tensor of patches from a (B, C, H, W) tensor of images.

    Raise ValueError if patch_size does not divide H and W.
    """
    B, C, H, W = images.shape
    P = patch_size
    # TODO 1: raise ValueError when H or W is not a multiple of P.
    # TODO 2: reshape to (B, C, H // P, P, W // P, P): each image axis becomes
    #         (which patch, which pixel inside the patch).
    # TODO 3: permute so the axes read (B, patch row, patch column, C, pixel row, pixel col).
    # TODO 4: reshape to (B, N, C * P * P) and return it.
    raise NotImplementedError("patchify: fill in the TODOs")


if __name__ == "__main__":
    digits = load_digits()
    image = torch.tensor(digits.images[0], dtype=torch.float32)[None, None]   # (1, 1, 8, 8)
    patches = patchify(image, 4)
    print("image", tuple(image.shape), "-> patches", tuple(patches.shape))
    for k, patch in enumerate(patches[0]):
        print(f"patch {k}:", patch.int().tolist())
    report.plot("digit", image[0, 0], kind="image", title=f"a {digits.target[0]}, 8x8 pixels")
    # The 4 patches of 4x4 pixels, side by side: the picture is cut into quadrants.
    strip = torch.cat([p.reshape(4, 4) for p in patches[0]], dim=1)
    report.plot("patches", strip, kind="image", title="its four 4x4 patches, in order")
