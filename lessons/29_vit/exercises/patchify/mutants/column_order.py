# Mistake: the two grid axes are swapped in the permute, so patches come column by column.


def patchify(images, patch_size):
    B, C, H, W = images.shape
    P = patch_size
    if H % P or W % P:
        raise ValueError("patch size must divide the image size")
    x = images.reshape(B, C, H // P, P, W // P, P).permute(0, 4, 2, 1, 3, 5)
    return x.reshape(B, (H // P) * (W // P), C * P * P)
