"""A causal 1-D convolution: the output at time t only sees the inputs up to t."""

import torch
import torch.nn.functional as F

from homl_tui import report


def causal_conv1d(x, weight, bias=None, dilation=1):
    """x: (batch, in_channels, time), weight: (out_channels, in_channels, kernel_size).
    Same length out as in; output t depends on inputs t, t - dilation, ..., never later."""
    kernel_size = weight.shape[-1]
    x = F.pad(x, ((kernel_size - 1) * dilation, 0))
    return F.conv1d(x, weight, bias, dilation=dilation)


if __name__ == "__main__":
    # A stack of dilated causal convolutions (kernel 2, dilations 1, 2, 4, 8), WaveNet-style,
    # with all weights set to 1: feed it one spike and see which outputs it reaches.
    steps = 40
    x = torch.zeros(1, 1, steps)
    x[0, 0, 10] = 1.0
    h = x
    for dilation in (1, 2, 4, 8):
        h = causal_conv1d(h, torch.ones(1, 1, 2), dilation=dilation)
    reached = (h[0, 0] != 0).nonzero().flatten().tolist()
    print("a spike at t=10 reaches outputs", reached[0], "to", reached[-1],
          f"({len(reached)} steps: the receptive field)")

    # Causality: change the inputs from t=25 on; outputs before 25 must not move.
    g = torch.Generator().manual_seed(0)
    x = torch.randn(1, 2, steps, generator=g)
    w = torch.randn(3, 2, 3, generator=g)
    y = causal_conv1d(x, w, dilation=2)
    x_changed = x.clone()
    x_changed[..., 25:] = 0.0
    y_changed = causal_conv1d(x_changed, w, dilation=2)
    moved = (y - y_changed).abs().amax(dim=(0, 1))
    print("outputs changed before t=25:", bool((moved[:25] > 0).any()),
          "| after:", bool((moved[25:] > 0).any()))
    t = torch.arange(steps)
    report.plot("causal", y[0, 0], t, kind="line", xlabel="time",
                title="Output channel 0, before and after zeroing the inputs from t=25",
                overlay={"inputs zeroed from t=25": (t, y_changed[0, 0])})
    report.plot("receptive field", h[0, 0], t, kind="line", xlabel="time",
                title="Four dilated layers (kernel 2): the outputs one spike at t=10 reaches")
