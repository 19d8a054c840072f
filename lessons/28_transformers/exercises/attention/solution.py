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
    return torch.ones(n, n, dtype=torch.bool, device=device).tril()


def scaled_dot_product_attention(Q, K, V, mask=None):
    """Q (..., Lq, d_k), K (..., Lk, d_k), V (..., Lk, d_v); mask: bool, broadcastable to
    (..., Lq, Lk), True where a query may attend to a key (None: everything allowed).

    Returns (output (..., Lq, d_v), weights (..., Lq, Lk)); every row of weights sums to 1.
    """
    d_k = Q.shape[-1]
    scores = Q @ K.transpose(-2, -1) / math.sqrt(d_k)
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    return weights @ V, weights


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
