"""Check attention(queries, keys, values, mask) against the reference on seeded random inputs.

Cases mix T != S (a softmax over the wrong axis still has the right shape), T == S, a single
query, a large d (without the 1/sqrt(d) scaling the weights become much sharper) and no mask.
Masks keep at least one real position per row. Before comparing numbers, the check looks for
the usual mistakes and names them: padding that gets weight, weights that do not sum to 1
over the source positions, weights that sum to 1 over the queries instead, missing scaling.
Exact comparisons (float32, rtol 1e-4, atol 1e-6); no thresholds.
"""

import math

import torch

from homl_tui.checks import CheckFailed, expect_close, expect_shape, fail, require_function

CASES = [  # (B, T, S, d, dv, masked)
    (2, 3, 5, 4, 6, True),
    (3, 4, 4, 8, 8, True),
    (2, 1, 7, 16, 2, True),
    (4, 6, 9, 64, 5, True),
    (2, 5, 3, 8, 4, False),
]


def _softmax_scores(q, k, mask, scale=True):
    scores = q @ k.transpose(1, 2)
    if scale:
        scores = scores / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~mask[:, None, :], float("-inf"))
    return torch.softmax(scores, dim=-1)


def _inputs(g, B, T, S, d, dv, masked):
    q = torch.randn(B, T, d, generator=g) * 1.5
    k = torch.randn(B, S, d, generator=g) * 1.5
    v = torch.randn(B, S, dv, generator=g)
    if not masked:
        return q, k, v, None
    lengths = torch.randint(1, S + 1, (B,), generator=g)
    lengths[0] = max(1, S - 2)  # at least one row with padding
    mask = torch.arange(S)[None, :] < lengths[:, None]
    return q, k, v, mask


def _one_case(fn, case, g, number):
    B, T, S, d, dv, masked = case
    q, k, v, mask = _inputs(g, B, T, S, d, dv, masked)
    where = f"On test input #{number} (B={B}, T={T} queries, S={S} keys, d={d}, " \
            f"{'with' if masked else 'without'} a mask)"
    args = [t.clone() for t in (q, k, v)] + [None if mask is None else mask.clone()]
    out = fn(*args)
    if not isinstance(out, tuple) or len(out) != 2:
        fail(f"`attention` should return a pair (context, weights); it returned a "
             f"{type(out).__name__}.")
    context, weights = out
    for name, t in (("context", context), ("weights", weights)):
        if not isinstance(t, torch.Tensor):
            fail(f"`{name}` is a {type(t).__name__}; return tensors.")
    if not (torch.equal(args[0], q) and torch.equal(args[1], k) and torch.equal(args[2], v)):
        fail(f"{where}: your function changed its inputs in place; leave them as they were.")
    try:
        expect_shape("weights", weights, (B, T, S))
        expect_shape("context", context, (B, T, dv))
    except CheckFailed as exc:
        fail(f"{where}: {exc.message}")
    w = weights.detach().double()
    real = torch.ones(B, S, dtype=torch.bool) if mask is None else mask
    over_queries = w.sum(dim=1)[real]
    if T > 1 and torch.allclose(over_queries, torch.ones_like(over_queries), atol=1e-5):
        fail(f"{where}: your weights sum to 1 over the queries (axis 1), not over the "
             "source positions: the softmax must run along the last axis, so that each "
             "query distributes its attention over the keys.")
    if not torch.isfinite(w).all():
        fail(f"{where}: the weights contain NaN or infinity. Mask with -inf BEFORE the softmax "
             "(every row keeps at least one real position, so the softmax stays finite).")
    if mask is not None:
        pad = ~mask[:, None, :].expand(B, T, S)
        if pad.any() and w[pad].abs().max() > 1e-6:
            fail(f"{where}: padding positions (mask False) get attention weight. Set their "
                 "scores to -inf before the softmax, so their weights are exactly 0.")
    sums = w.sum(dim=-1)
    if not torch.allclose(sums, torch.ones_like(sums), atol=1e-5):
        if mask is not None:
            fail(f"{where}: the weights of a query do not sum to 1 over the source positions. "
                 "Zeroing the padding AFTER the softmax leaves the other weights as they were, "
                 "so they no longer add up to 1: mask the scores before the softmax instead.")
        fail(f"{where}: the weights of a query do not sum to 1 over the source positions.")
    unscaled = _softmax_scores(q.double(), k.double(), mask, scale=False)
    expected = _softmax_scores(q.double(), k.double(), mask)
    if not torch.allclose(w, expected, rtol=1e-4, atol=1e-6) and torch.allclose(
            w, unscaled, rtol=1e-4, atol=1e-6):
        fail(f"{where}: your weights are the softmax of the raw dot products. Divide the "
                 "scores by sqrt(d) first: with large d the dot products grow, the softmax "
                 "saturates, and its gradients vanish.")
    expect_close(f"weights on test input #{number}", w, expected, rtol=1e-4, atol=1e-6)
    expect_close(f"context on test input #{number}", context.detach().double(),
                 expected @ v.double(), rtol=1e-4, atol=1e-5)


def check(learner, ctx):
    fn = require_function(learner, "attention")
    g = torch.Generator().manual_seed(ctx.seed + 21)
    for number, case in enumerate(CASES, start=1):
        _one_case(fn, case, g, number)
    q, k, v, mask = _inputs(torch.Generator().manual_seed(ctx.seed), 1, 6, 8, 16, 4, True)
    _, weights = fn(q, k, v, mask)
    ctx.report.plot("your attention weights", weights[0].detach(), [f"key {s}" for s in range(8)],
                    kind="matrix", title="6 queries over 8 keys (the last ones are padding)",
                    xlabel="key", ylabel="query")
