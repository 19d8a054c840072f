"""Sinusoidal positional encodings ("Attention Is All You Need", section 3.5).

Attention by itself cannot tell positions apart: shuffle the tokens and every output is
shuffled the same way. So a vector that depends on the position is added to each token
embedding. With d_model columns and i = 0, 1, ..., d_model/2 - 1:

    PE[p, 2i]     = sin(p / base ** (2i / d_model))
    PE[p, 2i + 1] = cos(p / base ** (2i / d_model))        (base = 10000)

Column pair i is a sine/cosine wave whose wavelength grows geometrically from 2*pi (i = 0)
to about 2*pi * base (the last pair).
"""

import torch

from homl_tui import report


def sinusoidal_positions(max_len, d_model, base=10000.0):
    """(max_len, d_model) float32 tensor of positional encodings; d_model is even."""
    positions = torch.arange(max_len, dtype=torch.float64)[:, None]        # (max_len, 1)
    two_i = torch.arange(0, d_model, 2, dtype=torch.float64)               # (d_model/2,)
    angles = positions / base ** (two_i / d_model)                         # (max_len, d/2)
    pe = torch.zeros(max_len, d_model, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(angles)
    pe[:, 1::2] = torch.cos(angles)
    return pe.float()


if __name__ == "__main__":
    pe = sinusoidal_positions(64, 32)
    print("shape", tuple(pe.shape), "dtype", pe.dtype)
    print("position 0:", pe[0, :6].tolist(), "...")
    report.plot("positional encodings", pe.T, kind="image",
                title="rows: dimensions 0..31, columns: positions 0..63")
    report.plot("columns 0, 2, 8 and 16", pe[:, 0], torch.arange(64), kind="line",
                overlay={"column 2": (torch.arange(64), pe[:, 2]),
                         "column 8": (torch.arange(64), pe[:, 8]),
                         "column 16": (torch.arange(64), pe[:, 16])},
                xlabel="position")
    # The dot product of two encodings depends (mostly) on how far apart they are.
    sims = pe @ pe[20]
    print("PE[20] . PE[p] for p = 18..22:", [round(v, 2) for v in sims[18:23].tolist()])
    report.plot("PE[20] . PE[p]", sims, torch.arange(64), kind="line", xlabel="position p")
