"""Mistake: cosines in the even columns and sines in the odd ones."""


import torch


def sinusoidal_positions(max_len, d_model, base=10000.0):
    """(max_len, d_model) float32 tensor of positional encodings; d_model is even."""
    positions = torch.arange(max_len, dtype=torch.float64)[:, None]        # (max_len, 1)
    two_i = torch.arange(0, d_model, 2, dtype=torch.float64)               # (d_model/2,)
    angles = positions / base ** (two_i / d_model)                         # (max_len, d/2)
    pe = torch.zeros(max_len, d_model, dtype=torch.float64)
    pe[:, 0::2] = torch.cos(angles)
    pe[:, 1::2] = torch.sin(angles)
    return pe.float()

