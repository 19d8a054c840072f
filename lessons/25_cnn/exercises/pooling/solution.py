"""Max pooling and average pooling from scratch (no padding), checked against
torch.nn.functional.max_pool2d and avg_pool2d.

x: (N, C, H, W) -> (N, C, H_out, W_out), each channel pooled on its own.
stride=None means stride = kernel_size: windows side by side, without overlap.
"""

import torch

from homl_tui import report


def _windows(x, kernel_size, stride):
    """All pooling windows of x as a (N, C, H_out, W_out, k, k) view."""
    if stride is None:
        stride = kernel_size
    return x.unfold(2, kernel_size, stride).unfold(3, kernel_size, stride)


def max_pool2d(x, kernel_size, stride=None):
    """The largest value of every kernel_size x kernel_size window, channel by channel."""
    return _windows(x, kernel_size, stride).amax(dim=(-2, -1))


def avg_pool2d(x, kernel_size, stride=None):
    """The mean of every kernel_size x kernel_size window, channel by channel."""
    return _windows(x, kernel_size, stride).mean(dim=(-2, -1))


if __name__ == "__main__":
    # Press Run: pool a small picture of a digit-like stroke, two ways.
    image = torch.zeros(1, 1, 12, 12)
    image[0, 0, 2:10, 5:7] = 1.0       # a vertical bar
    image[0, 0, 2:4, 3:7] = 1.0        # a little flag on top: a "1"
    image[0, 0, 9:11, 3:9] = 1.0       # and a foot
    small_max = max_pool2d(image, 2)
    small_avg = avg_pool2d(image, 2)
    overlap = max_pool2d(image, 3, stride=2)
    print("input", tuple(image.shape), "-> max pool 2:", tuple(small_max.shape),
          " avg pool 2:", tuple(small_avg.shape), " max pool 3, stride 2:", tuple(overlap.shape))
    shifted = torch.roll(image, shifts=1, dims=3)
    kept = (max_pool2d(image, 2) == max_pool2d(shifted, 2)).float().mean().item()
    print(f"after moving the picture one pixel right, {kept:.0%} of the max-pooled values "
          "are unchanged")
    report.plot("input", image[0, 0], kind="image", title="a 12x12 '1'")
    report.plot("max pool", small_max[0, 0], kind="image", title="max pooling 2x2: 6x6")
    report.plot("avg pool", small_avg[0, 0], kind="image", title="average pooling 2x2: 6x6")
