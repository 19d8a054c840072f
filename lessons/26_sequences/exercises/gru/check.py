"""Check gru_cell against torch.nn.GRUCell and gru_layer against torch.nn.GRU(batch_first=True),
with the same weights copied in.

Weights and inputs come from a seeded torch.Generator (weights scaled up from PyTorch's default
initialisation so that every gate matters). The reference agrees with nn.GRU to about 1e-7;
the check allows 1e-4. When the cell is wrong, the learner's result is compared with the
usual wrong variants (gates read in the order z, r, n; update mixed the other way round;
reset applied before the matrix product) to name the mistake.
"""

import torch
from torch import nn

from homl_tui.checks import CheckFailed, expect_close, fail, require_function

CELL_CASES = [(4, 1, 5), (3, 2, 3), (6, 4, 8)]  # (batch, input size, hidden size)
LAYER_CASES = [(2, 7, 1, 4), (3, 12, 3, 6)]     # (batch, time, input size, hidden size)


def _weights(g, n_in, n_hidden):
    return (torch.randn(3 * n_hidden, n_in, generator=g) * 0.8,
            torch.randn(3 * n_hidden, n_hidden, generator=g) * 0.8,
            torch.randn(3 * n_hidden, generator=g) * 0.5,
            torch.randn(3 * n_hidden, generator=g) * 0.5)


def _load(module, weights, suffix=""):
    with torch.no_grad():
        for name, value in zip(("weight_ih", "weight_hh", "bias_ih", "bias_hh"), weights,
                               strict=True):
            getattr(module, name + suffix).copy_(value)
    return module


def _variant(x, h, W_ih, W_hh, b_ih, b_hh, kind):
    """The GRU step with one well-known mistake, to recognise it."""
    H = h.shape[-1]
    a, b, n_i = (x @ W_ih.T + b_ih).chunk(3, dim=-1)
    c, d, n_h = (h @ W_hh.T + b_hh).chunk(3, dim=-1)
    r, z = torch.sigmoid(a + c), torch.sigmoid(b + d)
    if kind == "swapped":
        r, z = z, r
    if kind == "reset_before":
        n = torch.tanh(n_i + (r * h) @ W_hh[2 * H:].T + b_hh[2 * H:])
    else:
        n = torch.tanh(n_i + r * n_h)
    if kind == "flipped":
        return z * n + (1 - z) * h
    return (1 - z) * n + z * h


MISTAKES = {
    "swapped": "it matches a GRU whose gates are read in the wrong order. PyTorch stacks the "
               "rows of W_ih, W_hh and the biases as r, z, n: the first chunk is the reset "
               "gate, the second the update gate.",
    "flipped": "it matches a GRU whose update gate mixes the wrong way round. In PyTorch z "
               "is the share of the OLD state that is kept: h' = (1 - z) * n + z * h.",
    "reset_before": "it matches the textbook GRU that resets h before the matrix product, "
                    "(r * h) W_hn^T. PyTorch applies r after it, and after its bias: "
                    "r * (h W_hn^T + b_hn). Both are GRUs, but only one matches nn.GRU's "
                    "weights.",
}


def _close(a, b, tol=1e-4):
    return a.shape == b.shape and bool((a - b).abs().max() <= tol)


def _check_cell(fn, g):
    for number, (batch, n_in, n_hidden) in enumerate(CELL_CASES, start=1):
        weights = _weights(g, n_in, n_hidden)
        x = torch.randn(batch, n_in, generator=g)
        h = torch.randn(batch, n_hidden, generator=g) * 0.7
        cell = _load(nn.GRUCell(n_in, n_hidden), weights)
        with torch.no_grad():
            want = cell(x, h)
            got = fn(x.clone(), h.clone(), *(w.clone() for w in weights))
        where = (f"On test step #{number} (batch {batch}, input size {n_in}, hidden size "
                 f"{n_hidden})")
        if not isinstance(got, torch.Tensor):
            fail(f"{where}, `gru_cell` returned a {type(got).__name__}; return the new state "
                 "as a tensor of shape (batch, hidden).")
        got = got.detach()
        if tuple(got.shape) != tuple(want.shape):
            fail(f"{where}, `gru_cell` returned shape {tuple(got.shape)}; the new state has "
                 "the shape of h, (batch, hidden).")
        if _close(got, want):
            continue
        for kind, message in MISTAKES.items():
            if _close(got, _variant(x, h, *weights, kind)):
                fail(f"{where}, `gru_cell` disagrees with nn.GRUCell: {message}")
        try:
            expect_close("gru_cell(...)", got, want, rtol=1e-4, atol=1e-4)
        except CheckFailed as exc:
            fail(f"{where}, compared with nn.GRUCell holding the same weights: {exc.message}")


def _check_layer(fn, cell_fn, g):
    for number, (batch, steps, n_in, n_hidden) in enumerate(LAYER_CASES, start=1):
        weights = _weights(g, n_in, n_hidden)
        x = torch.randn(batch, steps, n_in, generator=g)
        h0 = torch.randn(batch, n_hidden, generator=g) * 0.7
        gru = _load(nn.GRU(n_in, n_hidden, batch_first=True), weights, "_l0")
        with torch.no_grad():
            want, want_h = gru(x, h0[None])
            out = fn(x.clone(), h0.clone(), *(w.clone() for w in weights))
        where = (f"On test sequence #{number} (batch {batch}, {steps} steps, input size "
                 f"{n_in}, hidden size {n_hidden})")
        if not isinstance(out, tuple) or len(out) != 2:
            fail(f"{where}, `gru_layer` should return a pair (outputs, h_last); it returned a "
                 f"{type(out).__name__}.")
        got, got_h = (t.detach() if isinstance(t, torch.Tensor) else t for t in out)
        if not isinstance(got, torch.Tensor) or not isinstance(got_h, torch.Tensor):
            fail(f"{where}, `gru_layer` should return two tensors.")
        if tuple(got.shape) == (steps, batch, n_hidden) and steps != batch:
            fail(f"{where}, the outputs have shape {tuple(got.shape)}, time first. This "
                 "lesson keeps the batch first, like nn.GRU(batch_first=True): stack the "
                 "states along dim=1.")
        if tuple(got.shape) != (batch, steps, n_hidden):
            fail(f"{where}, the outputs have shape {tuple(got.shape)}; they should be (batch, "
                 "time, hidden): one state per step.")
        if _close(got, want) and _close(got_h, want_h[0]):
            continue
        with torch.no_grad():
            fresh = torch.stack([cell_fn(x[:, t], h0, *weights) for t in range(steps)], dim=1)
        if _close(got[:, 1:], fresh[:, 1:]):
            fail(f"{where}, every step starts again from h0: the state is never carried "
                 "forward, so the GRU has no memory. Give each step the state computed at the "
                 "previous step.")
        if _close(got, want):
            fail(f"{where}, the outputs are right but h_last is not: return the state after "
                 "the LAST step, shape (batch, hidden).")
        try:
            expect_close("outputs", got, want, rtol=1e-4, atol=1e-4)
        except CheckFailed as exc:
            fail(f"{where}, compared with nn.GRU(batch_first=True) holding the same weights: "
                 f"{exc.message}")


def check(learner, ctx):
    cell_fn = require_function(learner, "gru_cell")
    layer_fn = require_function(learner, "gru_layer")
    g = torch.Generator().manual_seed(ctx.seed)
    _check_cell(cell_fn, g)
    _check_layer(layer_fn, cell_fn, g)
