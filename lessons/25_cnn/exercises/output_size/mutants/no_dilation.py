"""Mutant: ignores the dilation: the window is taken to span kernel_size inputs.

How many positions does a sliding window take? Output sizes of convolution and pooling.

conv_output_size(8, 3, padding=1)            ->  8   (a 3x3 "same" convolution keeps the size)
conv_output_size(28, 5)                      -> 24
pool_output_size(7, 2)                       ->  3   (stride defaults to the kernel size)
pool_output_size(7, 2, ceil_mode=True)       ->  4
"""

import math

from homl_tui import report


def conv_output_size(n, kernel_size, stride=1, padding=0, dilation=1):
    """The length of the output of a convolution along one axis, as an int.

    n: input length; padding: zeros added on EACH side; dilation: gap between kernel taps
    (1 = no gap), so the window spans dilation * (kernel_size - 1) + 1 input positions.
    """
    span = kernel_size
    return (n + 2 * padding - span) // stride + 1


def pool_output_size(n, kernel_size, stride=None, padding=0, ceil_mode=False):
    """The length of the output of a max or average pooling layer along one axis, as an int.

    stride=None means stride = kernel_size (PyTorch's default for pooling). With
    ceil_mode=True a last, partial window is kept, but only if it starts inside the input
    or its left padding.
    """
    if stride is None:
        stride = kernel_size
    if not ceil_mode:
        return conv_output_size(n, kernel_size, stride, padding)
    out = math.ceil((n + 2 * padding - kernel_size) / stride) + 1
    if (out - 1) * stride >= n + padding:
        out -= 1
    return out


if __name__ == "__main__":
    # Press Run: follow a 28x28 image through a small LeNet-like stack of layers.
    size = 28
    layers = [
        ("conv 5x5, padding 2", lambda n: conv_output_size(n, 5, padding=2)),
        ("max pool 2x2", lambda n: pool_output_size(n, 2)),
        ("conv 5x5", lambda n: conv_output_size(n, 5)),
        ("max pool 2x2", lambda n: pool_output_size(n, 2)),
        ("conv 3x3, dilation 2", lambda n: conv_output_size(n, 3, dilation=2)),
    ]
    sizes = [size]
    print(f"{'input':<24} {size:>3} x {size}")
    for name, layer in layers:
        size = layer(size)
        sizes.append(size)
        print(f"{name:<24} {size:>3} x {size}")
    print("stride 2 on 7 inputs, floor vs ceil mode:",
          pool_output_size(7, 2), pool_output_size(7, 2, ceil_mode=True))
    report.plot("sizes", sizes, list(range(len(sizes))), title="side of the feature map, layer by layer",
                xlabel="layer", ylabel="size")
