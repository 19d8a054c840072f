"""Mutant: flips the kernel (the maths-textbook convolution) instead of the cross-correlation that Conv2d computes.

A 2-D convolution layer's forward pass, from scratch: batches, channels, padding, stride
and dilation, checked against torch.nn.functional.conv2d.

x: (N, C_in, H, W)   weight: (C_out, C_in, kH, kW)   bias: (C_out,) or None
out[n, o, i, j] = bias[o] + sum over c, a, b of
                  weight[o, c, a, b] * x_padded[n, c, i * stride + a * dilation,
                                                     j * stride + b * dilation]
"""

import torch
import torch.nn.functional as F

from homl_tui import report


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    """The output of a Conv2d layer (cross-correlation, like PyTorch), of shape
    (N, C_out, H_out, W_out). stride, padding and dilation are ints, the same on both axes."""
    n, c_in, h, w = x.shape
    c_out, c_in_w, kh, kw = weight.shape
    assert c_in == c_in_w, "x and weight disagree on the number of input channels"
    h_out = (h + 2 * padding - dilation * (kh - 1) - 1) // stride + 1
    w_out = (w + 2 * padding - dilation * (kw - 1) - 1) // stride + 1
    xp = F.pad(x, (padding, padding, padding, padding))  # (left, right, top, bottom)
    out = x.new_zeros(n, c_out, h_out, w_out)
    weight = weight.flip(-2, -1)  # a 'real' convolution flips its kernel
    # One kernel tap (a, b) at a time: the inputs it sees, over all output positions, form a
    # strided slice of the padded input; a matrix product mixes the input channels.
    for a in range(kh):
        for b in range(kw):
            top, left = a * dilation, b * dilation
            patch = xp[:, :, top:top + stride * (h_out - 1) + 1:stride,
                       left:left + stride * (w_out - 1) + 1:stride]  # (N, C_in, H_out, W_out)
            out += torch.einsum("nchw,oc->nohw", patch, weight[:, :, a, b])
    if bias is not None:
        out += bias.view(1, c_out, 1, 1)
    return out


if __name__ == "__main__":
    # Press Run: two hand-made edge detectors on a small picture of a square.
    image = torch.zeros(1, 1, 12, 12)
    image[0, 0, 3:9, 3:9] = 1.0
    sobel_x = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
    weight = torch.stack([sobel_x, sobel_x.T]).unsqueeze(1)  # (2 filters, 1 channel, 3, 3)
    edges = conv2d(image, weight, padding=1)
    print("input", tuple(image.shape), "-> output", tuple(edges.shape))
    print("same as F.conv2d:", torch.allclose(edges, F.conv2d(image, weight, padding=1)))
    print("stride 2:", tuple(conv2d(image, weight, stride=2, padding=1).shape),
          " dilation 2:", tuple(conv2d(image, weight, dilation=2).shape))
    report.plot("image", image[0, 0], kind="image", title="the input: a white square")
    report.plot("vertical edges", edges[0, 0], kind="image",
                title="filter 0 (Sobel x): responds to left and right edges")
    report.plot("horizontal edges", edges[0, 1], kind="image",
                title="filter 1 (Sobel y): responds to top and bottom edges")
