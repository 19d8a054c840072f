"""Reference solution: cut a batch of images into flattened, non-overlapping patches."""

import torch
from sklearn.datasets import load_digits

from homl_tui import report


def patchify(images, patch_size):
    """(B, C, H, W) -> (B, N, C * P * P), N = (H // P) * (W // P).

    Patches are listed row by row (left to right, then top to bottom), and each patch is
    flattened channel first, then pixel row, then pixel column, like nn.Unfold does.
    """
    B, C, H, W = images.shape
    P = patch_size
    if H % P or W % P:
        raise ValueError(f"image size {H}x{W} is not a multiple of the patch size {P}")
    x = images.reshape(B, C, H // P, P, W // P, P)   # split each axis into (grid, inside)
    x = x.permute(0, 2, 4, 1, 3, 5)                  # (B, grid row, grid col, C, P, P)
    return x.reshape(B, (H // P) * (W // P), C * P * P)


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
