"""Check causal_mask(n) and scaled_dot_product_attention(Q, K, V, mask) on seeded inputs.

The mask is checked first (shape, dtype, which side of the diagonal, the diagonal itself),
then attention on four kinds of input: queries and keys of different lengths, a batch of
heads (4-D), causal self-attention and a padding mask that broadcasts over heads. Each
wrong result is compared with the outputs of the usual mistakes (no scaling, scaling by d_k,
softmax over the wrong axis, a mask applied after the softmax) so the message can name it.
"""

import math

import torch

from homl_tui.checks import expect_close, expect_shape, fail, require_function

RTOL, ATOL = 1e-4, 1e-5


def _attention(Q, K, V, mask=None, scale="sqrt", axis=-1):
    d_k = Q.shape[-1]
    div = {"sqrt": math.sqrt(d_k), "none": 1.0, "d_k": float(d_k)}[scale]
    scores = Q @ K.transpose(-2, -1) / div
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=axis)
    return weights @ V, weights


def _close(a, b):
    return a.shape == b.shape and torch.allclose(a.double(), b.double(), rtol=RTOL, atol=ATOL)


def _check_mask(causal_mask):
    for n in (1, 2, 5, 7):
        m = causal_mask(n)
        if not isinstance(m, torch.Tensor):
            fail(f"causal_mask({n}) returned a {type(m).__name__}; it should be a torch tensor.")
        expect_shape(f"causal_mask({n})", m, (n, n))
        if m.dtype != torch.bool:
            fail(f"causal_mask({n}) has dtype {str(m.dtype).replace('torch.', '')}; it should be "
                 "torch.bool (True = may attend), so that `~mask` and masked_fill work as "
                 "expected.")
        want = torch.ones(n, n, dtype=torch.bool).tril()
        got = m.cpu()
        if torch.equal(got, want):
            continue
        if n > 1 and torch.equal(got, want.T):
            fail(f"causal_mask({n}) is transposed: row i (a query) is allowed to see the keys "
                 "j > i, which are future positions, and not the past ones. Rows are queries "
                 "and columns are keys: keep the lower triangle.")
        if torch.equal(got, want.tril(-1)):
            fail(f"causal_mask({n}) leaves the diagonal out, so a position may not attend to "
                 "itself (and the first position sees nothing at all, giving NaN). The diagonal "
                 "must be True.")
        if torch.equal(got, ~want):
            fail(f"causal_mask({n}) is inverted: here True must mean 'may attend', so the "
                 "allowed (past and present) positions are True and the future ones False.")
        fail(f"causal_mask({n}) is not right: entry [i, j] must be True exactly when j <= i.")


def _cases(gen):
    def r(*shape):
        return 1.5 * torch.randn(*shape, generator=gen)

    cases = [("queries (4, 8), keys and values of length 6", r(4, 8), r(6, 8), r(6, 3), None)]
    cases.append(("a batch of heads, shape (2, 3, 5, 16)", r(2, 3, 5, 16), r(2, 3, 5, 16),
                  r(2, 3, 5, 16), None))
    x = r(1, 7, 4)
    causal = torch.ones(7, 7, dtype=torch.bool).tril()
    cases.append(("causal self-attention over 7 positions", x, x, x, causal))
    pad = torch.tensor([[True] * 6, [True] * 4 + [False] * 2, [True] * 2 + [False] * 4])
    cases.append(("a padding mask of shape (3, 1, 1, 6) over (3, 2, 5, 6) scores",
                  r(3, 2, 5, 8), r(3, 2, 6, 8), r(3, 2, 6, 4), pad[:, None, None, :]))
    return cases


def _diagnose(where, out, w, Q, K, V, mask):
    want_out, want_w = _attention(Q, K, V, mask)
    expect_shape(f"{where}: the weights", w, want_w.shape)
    expect_shape(f"{where}: the output", out, want_out.shape)
    w = w.detach().cpu().double()
    if not torch.isfinite(w).all():
        fail(f"{where}: the weights contain NaN or inf. No row of this input is fully masked, "
             "so look at how the mask is applied (masked_fill on the scores with -inf, where "
             "the mask is False).")
    sums = w.sum(-1)
    if not torch.allclose(sums, torch.ones_like(sums), atol=1e-4):
        if torch.allclose(w.sum(-2), torch.ones_like(w.sum(-2)), atol=1e-4):
            fail(f"{where}: your weights sum to 1 down each column (over the queries), not "
                 "along each row. The softmax must run over the keys, the last axis (dim=-1): "
                 "each query shares its attention among the keys.")
        if mask is not None and (w <= 1 + 1e-6).all():
            fail(f"{where}: the rows of your weights do not sum to 1. It looks as if the mask "
                 "zeroed weights after the softmax; apply it to the scores before the softmax "
                 "(masked_fill with -inf), so the allowed keys share all the weight.")
        fail(f"{where}: the rows of your weights do not sum to 1: softmax over the last axis.")
    if mask is not None:
        blocked = ~mask.expand(w.shape)
        if (w[blocked] > 1e-6).any():
            fail(f"{where}: positions where the mask is False still get attention weight. "
                 "True means 'may attend'; fill the scores where the mask is False with -inf.")
    if not _close(w, want_w):
        _, unscaled = _attention(Q, K, V, mask, scale="none")
        _, by_dk = _attention(Q, K, V, mask, scale="d_k")
        if _close(w, unscaled):
            fail(f"{where}: the weights are those of unscaled scores. Divide Q @ K^T by "
                 "sqrt(d_k): without it the softmax saturates as d_k grows.")
        if _close(w, by_dk):
            fail(f"{where}: the scores were divided by d_k itself; the scale is the square "
                 "root of d_k (the dot product of two random unit-variance vectors has "
                 "variance d_k).")
        expect_close(f"{where}: the weights", w, want_w, rtol=RTOL, atol=ATOL)
    expect_close(f"{where}: the output", out, want_out, rtol=RTOL, atol=ATOL)


def check(learner, ctx):
    causal_mask = require_function(learner, "causal_mask")
    sdpa = require_function(learner, "scaled_dot_product_attention")
    _check_mask(causal_mask)

    gen = torch.Generator().manual_seed(ctx.seed + 28)
    for number, (label, Q, K, V, mask) in enumerate(_cases(gen), start=1):
        where = f"Test #{number} ({label})"
        result = sdpa(Q.clone(), K.clone(), V.clone(), None if mask is None else mask.clone())
        if not isinstance(result, tuple) or len(result) != 2:
            fail("scaled_dot_product_attention should return a pair (output, weights); it "
                 f"returned a {type(result).__name__}.")
        out, w = result
        if not isinstance(out, torch.Tensor) or not isinstance(w, torch.Tensor):
            fail("scaled_dot_product_attention should return two torch tensors.")
        _diagnose(where, out, w, Q, K, V, mask)

    x = torch.randn(6, 8, generator=gen)
    _, w = sdpa(x, x, x, causal_mask(6))
    ctx.report.plot("your causal self-attention weights", w.detach().cpu(), kind="matrix",
                    xlabel="key position", ylabel="query position")
