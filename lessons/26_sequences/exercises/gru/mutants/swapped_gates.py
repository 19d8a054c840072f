"""Mutant: reads the stacked weights in the order z, r, n (the update gate first), not
PyTorch's r, z, n."""

import torch


def gru_cell(x, h, W_ih, W_hh, b_ih, b_hh):
    z_i, r_i, n_i = (x @ W_ih.T + b_ih).chunk(3, dim=-1)
    z_h, r_h, n_h = (h @ W_hh.T + b_hh).chunk(3, dim=-1)
    r = torch.sigmoid(r_i + r_h)
    z = torch.sigmoid(z_i + z_h)
    n = torch.tanh(n_i + r * n_h)
    return (1 - z) * n + z * h


def gru_layer(x, h0, W_ih, W_hh, b_ih, b_hh):
    h = h0
    outputs = []
    for t in range(x.shape[1]):
        h = gru_cell(x[:, t], h, W_ih, W_hh, b_ih, b_hh)
        outputs.append(h)
    return torch.stack(outputs, dim=1), h
