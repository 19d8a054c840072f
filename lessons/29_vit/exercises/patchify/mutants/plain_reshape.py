# Mistake: a reshape alone (no permute): the "patches" are runs of consecutive pixels in memory.


def patchify(images, patch_size):
    B, C, H, W = images.shape
    P = patch_size
    if H % P or W % P:
        raise ValueError("patch size must divide the image size")
    return images.reshape(B, (H // P) * (W // P), C * P * P)
