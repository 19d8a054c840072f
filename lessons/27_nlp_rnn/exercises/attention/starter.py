"""Scaled dot-product attention, with a padding mask.

Attention is a soft dictionary lookup: each query is compared with every key (a dot
product), the scores become weights with a softmax over the keys, and the result is the
weighted average of the values. Padding positions (mask False) must get no weight at all.
Press Run to see the weights of three queries over five keys, one of them padding.
"""

import math

import torch

from homl_tui import report


def attention(queries, keys, values, mask=None):
    """Scaled dot-product attention over a batch.

    queries: (B, T, d)   one query per output position
    keys:    (B, S, d)   one key per source position
    values:  (B, S, dv)  one value per source position
    mask:    (B, S) bool, True for real source positions and False for padding (or None)

    Returns (context, weights): weights (B, T, S), where weights[b, t] is the softmax over the
    source positions s of queries[b, t] . keys[b, s] / sqrt(d), with padding given weight 0;
    and context (B, T, dv) = the weighted average of the values.
    """
    # TODO 1: scores (B, T, S): every query against every key (a batched matrix product
    #         with the keys transposed), divided by sqrt(d).
    # TODO 2: if mask is given, set the scores of padding positions to -inf BEFORE the
    #         softmax (masked_fill; the mask needs a query axis: mask[:, None, :]).
    # TODO 3: weights = the softmax over the source positions (the last axis);
    #         context = weights @ values. Return (context, weights).
    raise NotImplementedError("attention: fill in the TODOs")


if __name__ == "__main__":
    # A soft dictionary lookup: 5 keys of the same length, 3 queries near keys 3, 0 and 4.
    torch.manual_seed(0)
    keys = torch.nn.functional.normalize(torch.randn(1, 5, 8), dim=-1) * 4
    values = torch.arange(5.0).reshape(1, 5, 1)          # value s is just the number s
    queries = keys[:, [3, 0, 4]] + 0.3 * torch.randn(1, 3, 8)
    mask = torch.tensor([[True, True, True, True, False]])   # the last key is padding
    context, weights = attention(queries, keys, values, mask)
    torch.set_printoptions(precision=3, sci_mode=False)
    print("weights (one row per query, one column per key):\n", weights[0])
    print("rows sum to", weights[0].sum(dim=-1))
    print("context (a weighted average of the values 0..4):", context[0, :, 0])
    print("query 2 looks like key 4, but key 4 is padding, so it gets weight 0.")
    report.plot("attention weights", weights[0], [f"key {s}" for s in range(5)], kind="matrix",
                title="each row: where one query looks", xlabel="key", ylabel="query")
