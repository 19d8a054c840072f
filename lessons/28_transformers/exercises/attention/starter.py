"""Scaled dot-product attention with masks, and the causal mask of a decoder.

attention(Q, K, V) = softmax(Q @ K^T / sqrt(d_k)) @ V

Every query row is compared with every key row; the scores become weights with a softmax
over the KEYS (the last axis), and the output for a query is the weighted average of the
value rows. A boolean mask says which (query, key) pairs are allowed: True = may attend.
"""

import math

import torch

from homl_tui import report


def causal_mask(n, device=None):
    """(n, n) bool tensor: True where key j may be seen by query i, that is where j <= i."""
    # TODO 1: a boolean (n, n) tensor that is True on and below the diagonal
    #         (row = query position, column = key position), created on `device`.
    raise NotImplementedError("causal_mask: fill in the TODO")


def scaled_dot_product_attention(Q, K, V, mask=None):
    """Q (..., Lq, d_k), K (..., Lk, d_k), V (..., Lk, d_v); mask: bool, broadcastable to
    (..., Lq, Lk), True where a query may attend to a key (None: everything allowed).

    Returns (output (..., Lq, d_v), weights (..., Lq, Lk)); every row of weights sums to 1.
    """
    # TODO 2: scores = Q times K transposed (swap only the LAST two axes, so batch and head
    #         axes in front are kept), divided by the square root of d_k.
    # TODO 3: where mask is False, make the score -inf BEFORE the softmax, so those keys
    #         get exactly zero weight and the other weights still sum to 1.
    # TODO 4: softmax over the keys axis, then weights @ V. Return (output, weights).
    raise NotImplementedError("scaled_dot_product_attention: fill in the TODOs")


if __name__ == "__main__":
    g = torch.Generator().manual_seed(0)
    n, d = 6, 8
    X = torch.randn(n, d, generator=g)
    print("causal mask for 4 positions (1 = may attend):")
    print(causal_mask(4).int())

    out, w = scaled_dot_product_attention(X, X, X)
    print("self-attention output", tuple(out.shape), "weights", tuple(w.shape))
    print("row sums of the weights:", w.sum(-1))
    report.plot("self-attention weights (no mask)", w, kind="matrix",
                xlabel="key position", ylabel="query position")

    out, w = scaled_dot_product_attention(X, X, X, mask=causal_mask(n))
    print("with the causal mask, weights above the diagonal:", w.triu(1).abs().max().item())
    report.plot("causal self-attention weights", w, kind="matrix",
                xlabel="key position", ylabel="query position")
