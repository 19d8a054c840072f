# Mistake: nn.Unfold-style extraction without checking the sizes: a ragged edge is dropped.
import torch.nn.functional as F


def patchify(images, patch_size):
    return F.unfold(images, kernel_size=patch_size, stride=patch_size).transpose(1, 2)
