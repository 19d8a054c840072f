"""A GRU by hand: one cell step, then the loop over time, matching torch.nn.GRU.

PyTorch stores the weights of the three parts of a GRU stacked in one matrix, in the order
reset gate r, update gate z, candidate n. For hidden size H and input size I:
    W_ih: (3H, I)   W_hh: (3H, H)   b_ih: (3H,)   b_hh: (3H,)

    r  = sigmoid(x W_ir^T + b_ir + h W_hr^T + b_hr)
    z  = sigmoid(x W_iz^T + b_iz + h W_hz^T + b_hz)
    n  = tanh(x W_in^T + b_in + r * (h W_hn^T + b_hn))
    h' = (1 - z) * n + z * h
"""

import math

import torch
from torch import nn

from homl_tui import report


def gru_cell(x, h, W_ih, W_hh, b_ih, b_hh):
    """One step. x: (batch, I), h: (batch, H). Return the new state h', shape (batch, H)."""
    # TODO 1: compute x @ W_ih.T + b_ih and h @ W_hh.T + b_hh, and split each into its
    #         three parts along the last axis (Tensor.chunk(3, dim=-1)), in the order r, z, n.
    # TODO 2: the gates r and z (sigmoid), then the candidate n (tanh). Mind where r goes:
    #         it multiplies the hidden part of n AFTER the matrix product and its bias.
    # TODO 3: mix the old state and the candidate with z, as in the formula above.
    raise NotImplementedError("gru_cell: fill in the TODOs")


def gru_layer(x, h0, W_ih, W_hh, b_ih, b_hh):
    """x: (batch, time, I), h0: (batch, H). Return (outputs, h_last): outputs has shape
    (batch, time, H) and holds the state after every step; h_last is the state after the last
    step, shape (batch, H)."""
    # TODO 4: start from h0 and call gru_cell once per time step, feeding it x[:, t] and the
    #         state from the PREVIOUS step. Collect each new state.
    # TODO 5: stack the states along a new time axis (dim=1) and return them with the last one.
    raise NotImplementedError("gru_layer: fill in the TODOs")


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
