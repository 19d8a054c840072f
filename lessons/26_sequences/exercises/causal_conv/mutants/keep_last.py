"""Mutant: lets conv1d pad both ends, then trims the wrong end, keeping the LAST `time`
outputs (the right trim is to drop them)."""

import torch.nn.functional as F


def causal_conv1d(x, weight, bias=None, dilation=1):
    kernel_size = weight.shape[-1]
    steps = x.shape[-1]
    out = F.conv1d(x, weight, bias, dilation=dilation, padding=(kernel_size - 1) * dilation)
    return out[..., -steps:]
