"""A GRU by hand: one cell step, then the loop over time, matching torch.nn.GRU."""

import math

import torch
from torch import nn

from homl_tui import report


def gru_cell(x, h, W_ih, W_hh, b_ih, b_hh):
    """One GRU step with PyTorch's weight layout (gates stacked in the order r, z, n)."""
    r_i, z_i, n_i = (x @ W_ih.T + b_ih).chunk(3, dim=-1)
    r_h, z_h, n_h = (h @ W_hh.T + b_hh).chunk(3, dim=-1)
    r = torch.sigmoid(r_i + r_h)
    z = torch.sigmoid(z_i + z_h)
    n = torch.tanh(n_i + r * n_h)
    return (1 - z) * n + z * h


def gru_layer(x, h0, W_ih, W_hh, b_ih, b_hh):
    """Run the cell over a (batch, time, features) sequence; return (outputs, last state)."""
    h = h0
    outputs = []
    for t in range(x.shape[1]):
        h = gru_cell(x[:, t], h, W_ih, W_hh, b_ih, b_hh)
        outputs.append(h)
    return torch.stack(outputs, dim=1), h


if __name__ == "__main__":
    torch.manual_seed(0)
    batch, steps, n_in, n_hidden = 3, 40, 1, 8
    gru = nn.GRU(n_in, n_hidden, batch_first=True)
    params = (gru.weight_ih_l0, gru.weight_hh_l0, gru.bias_ih_l0, gru.bias_hh_l0)
    t = torch.linspace(0, 4 * math.pi, steps)
    x = torch.stack([torch.sin(t), torch.sign(torch.sin(t)), torch.zeros(steps)])[..., None]
    h0 = torch.zeros(batch, n_hidden)

    with torch.no_grad():
        mine, h_mine = gru_layer(x, h0, *params)
        theirs, h_theirs = gru(x, h0[None])
    print("outputs:", tuple(mine.shape), " final state:", tuple(h_mine.shape))
    print(f"largest difference from nn.GRU: {(mine - theirs).abs().max().item():.2e} (outputs), "
          f"{(h_mine - h_theirs[0]).abs().max().item():.2e} (final state)")
    report.plot("gru state", mine[0, :, 0], t, kind="line", xlabel="time",
                title="Unit 0 of the hidden state (an untrained GRU) for three inputs",
                overlay={"input: sine": (t, x[0, :, 0]),
                         "input: square wave": (t, x[1, :, 0]),
                         "unit 0, square-wave input": (t, mine[1, :, 0])})
