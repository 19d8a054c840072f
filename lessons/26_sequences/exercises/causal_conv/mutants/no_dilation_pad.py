"""Mutant: pads kernel_size - 1 zeros whatever the dilation, so dilated outputs come out too
short."""

import torch.nn.functional as F


def causal_conv1d(x, weight, bias=None, dilation=1):
    kernel_size = weight.shape[-1]
    x = F.pad(x, (kernel_size - 1, 0))
    return F.conv1d(x, weight, bias, dilation=dilation)
