"""A 2-D convolution layer's forward pass, from scratch: batches, channels, padding, stride
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
    (N, C_out, H_out, W_out). stride, padding and dilation are ints, the same on both axes.

    Rules: no built-in convolution (F.conv2d, nn.Conv2d) and no F.unfold. F.pad, slicing,
    torch.einsum, matmul, sums and Tensor.unfold are all fine.
    """
    # TODO 1: read N, C_in, H, W from x and C_out, kH, kW from weight; compute H_out and
    #         W_out with the output-size formula (see the previous exercise).
    # TODO 2: pad x with `padding` zeros on every side of both spatial axes
    #         (F.pad takes (left, right, top, bottom) for the last two axes).
    # TODO 3: fill an (N, C_out, H_out, W_out) output. One way: loop over the kernel taps
    #         (a, b); the inputs tap (a, b) sees at every output position are a strided
    #         slice of the padded input, shape (N, C_in, H_out, W_out); mix its channels
    #         with weight[:, :, a, b] (an einsum or a matmul) and add to the output.
    #         (Looping over output positions also works, just more slowly.)
    # TODO 4: add the bias of each filter to its whole channel, if there is a bias.
    raise NotImplementedError("conv2d: fill in the TODOs")


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
