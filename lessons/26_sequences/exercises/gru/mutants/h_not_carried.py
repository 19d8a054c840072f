"""Mutant: the cell is right, but every step starts again from h0: the state is never
carried from one step to the next."""

import torch


def gru_cell(x, h, W_ih, W_hh, b_ih, b_hh):
    r_i, z_i, n_i = (x @ W_ih.T + b_ih).chunk(3, dim=-1)
    r_h, z_h, n_h = (h @ W_hh.T + b_hh).chunk(3, dim=-1)
    r = torch.sigmoid(r_i + r_h)
    z = torch.sigmoid(z_i + z_h)
    n = torch.tanh(n_i + r * n_h)
    return (1 - z) * n + z * h


def gru_layer(x, h0, W_ih, W_hh, b_ih, b_hh):
    outputs = []
    for t in range(x.shape[1]):
        h = gru_cell(x[:, t], h0, W_ih, W_hh, b_ih, b_hh)
        outputs.append(h)
    return torch.stack(outputs, dim=1), h
