"""Mutant: loops over output positions with range(0, size - span, stride), which stops one
window early (the end of range is exclusive).

A 2-D convolution layer's forward pass, from scratch."""

import torch
import torch.nn.functional as F


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    c_out, _, kh, kw = weight.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    span_h = dilation * (kh - 1) + 1
    span_w = dilation * (kw - 1) + 1
    rows = []
    for top in range(0, xp.shape[2] - span_h, stride):
        cols = []
        for left in range(0, xp.shape[3] - span_w, stride):
            window = xp[:, :, top:top + span_h:dilation, left:left + span_w:dilation]
            cols.append(torch.einsum("nchw,ochw->no", window, weight))
        rows.append(torch.stack(cols, dim=-1))
    out = torch.stack(rows, dim=-2)
    if bias is not None:
        out = out + bias.view(1, c_out, 1, 1)
    return out
