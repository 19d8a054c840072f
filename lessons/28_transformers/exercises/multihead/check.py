"""Check MultiHeadAttention: split_heads / merge_heads on their own, then the whole layer
against torch.nn.MultiheadAttention with the same weights copied in.

Cases: self-attention without a mask, causal self-attention, and cross-attention with
queries and keys of different lengths plus a key padding mask. When the output differs, it
is compared with the usual mistakes (scaling by sqrt(d_model) instead of sqrt(d_k), heads
split with a plain view, heads merged without transposing back) to name the cause.
"""

import math

import torch
from torch import nn

from homl_tui.checks import expect_close, expect_shape, fail, require_function

RTOL, ATOL = 1e-4, 1e-5


def _split(x, h, wrong=False):
    B, L, E = x.shape
    if wrong:
        return x.reshape(B, h, L, E // h)
    return x.reshape(B, L, h, E // h).transpose(1, 2)


def _merge(x, wrong=False):
    B, h, L, d = x.shape
    if wrong:
        return x.reshape(B, L, h * d)
    return x.transpose(1, 2).reshape(B, L, h * d)


def _mha(layer, q, k, v, mask, h, scale="d_k", split_wrong=False, merge_wrong=False):
    Q, K, V = (_split(p(t), h, split_wrong) for p, t in
               ((layer.q_proj, q), (layer.k_proj, k), (layer.v_proj, v)))
    d = Q.shape[-1] if scale == "d_k" else Q.shape[-1] * h
    scores = Q @ K.transpose(-2, -1) / math.sqrt(d)
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    return layer.out_proj(_merge(torch.softmax(scores, -1) @ V, merge_wrong))


def _close(a, b):
    return a.shape == b.shape and torch.allclose(a, b, rtol=RTOL, atol=ATOL)


def _check_split_merge(layer, gen):
    h, E = layer.n_heads, layer.d_model
    x = torch.randn(2, 5, E, generator=gen)
    got = layer.split_heads(x.clone())
    expect_shape("split_heads(x) for x of shape (2, 5, d_model)", got, (2, h, 5, E // h))
    if not _close(got, _split(x, h)):
        if _close(got, _split(x, h, wrong=True)):
            fail("split_heads has the right shape but the wrong contents: a direct "
                 "view/reshape to (B, n_heads, L, d_k) cuts the flat memory in the wrong "
                 "place, so a head mixes features of different positions. Split the last "
                 "axis into (n_heads, d_k) first, then move the head axis forward.")
        fail("split_heads(x) has the right shape but the wrong contents: head i should hold "
             "features i*d_k to (i+1)*d_k - 1 of every position.")
    y = torch.randn(2, h, 5, E // h, generator=gen)
    got = layer.merge_heads(y.clone())
    expect_shape("merge_heads(x) for x of shape (2, n_heads, 5, d_k)", got, (2, 5, E))
    if not _close(got, _merge(y)):
        if _close(got, _merge(y, wrong=True)):
            fail("merge_heads has the right shape but the wrong contents: reshaping (B, "
                 "n_heads, L, d_k) straight to (B, L, d_model) glues pieces of different "
                 "positions together. Transpose the head and length axes back first, then "
                 "flatten the last two.")
        fail("merge_heads(x) is not the inverse of split_heads.")


def _layers(cls, E, h):
    layer = cls(E, h)
    for name in ("q_proj", "k_proj", "v_proj", "out_proj"):
        lin = getattr(layer, name, None)
        if not isinstance(lin, nn.Linear):
            fail(f"MultiHeadAttention needs an attribute `{name}` that is an nn.Linear "
                 f"(it is {type(lin).__name__}).")
        if tuple(lin.weight.shape) != (E, E) or lin.bias is None:
            fail(f"`{name}` should be nn.Linear(d_model, d_model) with a bias; its weight has "
                 f"shape {tuple(lin.weight.shape)}.")
    torch_layer = nn.MultiheadAttention(E, h, batch_first=True)
    with torch.no_grad():
        torch_layer.in_proj_weight.copy_(torch.cat(
            [layer.q_proj.weight, layer.k_proj.weight, layer.v_proj.weight]))
        torch_layer.in_proj_bias.copy_(torch.cat(
            [layer.q_proj.bias, layer.k_proj.bias, layer.v_proj.bias]))
        torch_layer.out_proj.weight.copy_(layer.out_proj.weight)
        torch_layer.out_proj.bias.copy_(layer.out_proj.bias)
    return layer, torch_layer


def check(learner, ctx):
    cls = require_function(learner, "MultiHeadAttention")
    gen = torch.Generator().manual_seed(ctx.seed + 15)
    ctx.reseed()
    _check_split_merge(cls(24, 3), gen)

    cases = []
    x = torch.randn(2, 6, 32, generator=gen)
    cases.append(("self-attention, d_model 32, 4 heads, no mask", 32, 4, x, x, x, None, None))
    x = torch.randn(3, 7, 48, generator=gen)
    causal = torch.ones(7, 7, dtype=torch.bool).tril()
    cases.append(("causal self-attention, d_model 48, 6 heads", 48, 6, x, x, x,
                  causal, ~causal))
    q = torch.randn(2, 4, 16, generator=gen)
    kv = torch.randn(2, 9, 16, generator=gen)
    keep = torch.ones(2, 9, dtype=torch.bool)
    keep[1, 6:] = False
    cases.append(("cross-attention, 4 queries, 9 keys with padding, d_model 16, 2 heads",
                  16, 2, q, kv, kv, keep[:, None, None, :], None))

    for number, (label, E, h, q, k, v, mask, torch_mask) in enumerate(cases, start=1):
        where = f"Test #{number} ({label})"
        ctx.reseed(ctx.seed + number)
        layer, torch_layer = _layers(cls, E, h)
        layer.eval()
        with torch.no_grad():
            got = layer(q.clone(), k.clone(), v.clone(),
                        mask=None if mask is None else mask.clone())
            kpm = None if number != 3 else ~keep
            want, _ = torch_layer(q, k, v, attn_mask=torch_mask, key_padding_mask=kpm,
                                  need_weights=False)
        if not isinstance(got, torch.Tensor):
            fail(f"{where}: forward should return one tensor (the output), not a "
                 f"{type(got).__name__}.")
        expect_shape(f"{where}: the output", got, want.shape)
        if _close(got, want):
            continue
        with torch.no_grad():
            if _close(got, _mha(layer, q, k, v, mask, h, scale="d_model")):
                fail(f"{where}: your layer scales the scores by sqrt(d_model). Each head "
                     "takes dot products of length d_k = d_model / n_heads, so the scale "
                     "is sqrt(d_k).")
            if _close(got, _mha(layer, q, k, v, mask, h, split_wrong=True)):
                fail(f"{where}: the heads are split the wrong way in forward (a direct view "
                     "to (B, n_heads, L, d_k)); use split_heads.")
            if _close(got, _mha(layer, q, k, v, mask, h, merge_wrong=True)):
                fail(f"{where}: the heads are merged without transposing back; use "
                     "merge_heads.")
        expect_close(f"{where}: the output (compared with nn.MultiheadAttention)", got, want,
                     rtol=RTOL, atol=ATOL)

    weights = getattr(layer, "last_weights", None)
    if isinstance(weights, torch.Tensor) and weights.dim() == 4:
        for head in range(min(2, weights.shape[1])):
            ctx.report.plot(f"your head {head}", weights[1, head].cpu(), kind="matrix",
                            xlabel="key", ylabel="query",
                            title=f"cross-attention of head {head} (last 3 keys padded)")
