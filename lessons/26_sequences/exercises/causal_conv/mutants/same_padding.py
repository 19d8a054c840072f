"""Mutant: symmetric "same" padding, as for images: half of the padding goes on the right,
so each output sees inputs from its future."""

import torch.nn.functional as F


def causal_conv1d(x, weight, bias=None, dilation=1):
    kernel_size = weight.shape[-1]
    return F.conv1d(x, weight, bias, dilation=dilation,
                    padding=(kernel_size - 1) * dilation // 2)
