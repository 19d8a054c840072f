"""Mutant: the textbook form of the candidate, tanh(x W_in^T + b_in + (r * h) W_hn^T + b_hn),
which resets h BEFORE the matrix product; PyTorch resets after it (and after its bias)."""

import torch


def gru_cell(x, h, W_ih, W_hh, b_ih, b_hh):
    H = h.shape[-1]
    r_i, z_i, n_i = (x @ W_ih.T + b_ih).chunk(3, dim=-1)
    r_h, z_h, _ = (h @ W_hh.T + b_hh).chunk(3, dim=-1)
    r = torch.sigmoid(r_i + r_h)
    z = torch.sigmoid(z_i + z_h)
    n = torch.tanh(n_i + (r * h) @ W_hh[2 * H:].T + b_hh[2 * H:])
    return (1 - z) * n + z * h


def gru_layer(x, h0, W_ih, W_hh, b_ih, b_hh):
    h = h0
    outputs = []
    for t in range(x.shape[1]):
        h = gru_cell(x[:, t], h, W_ih, W_hh, b_ih, b_hh)
        outputs.append(h)
    return torch.stack(outputs, dim=1), h
