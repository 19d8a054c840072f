"""Check causal_attention (with and without a cache) and the cached greedy decoder.

1. causal_attention on a whole sequence (no cache) against a from-scratch computation with
   the same layers; the returned cache must hold every position's keys and values.
2. The same sequence fed in two chunks (5 then 4 positions) and one position at a time,
   each call continuing from the cache of the previous one: the outputs must equal the
   whole-sequence ones. This catches a causal mask that is not shifted by the cache length
   and a cache that does not keep the old positions.
3. generate(model, prompt, n_new) on the reference TinyLM against uncached greedy decoding:
   same tokens, same logits; and every call after the prompt must process exactly one new
   token at the right position with the cache returned by the call before.
"""

import math

import torch
from torch import nn

from homl_tui.checks import expect_close, expect_shape, fail, require_function

RTOL, ATOL = 1e-4, 1e-5


def _attention(x, qkv, proj, h, offset_mask=True, past=None):
    """Reference: whole-sequence causal attention; with `past`, T new positions after P."""
    B, T, E = x.shape
    q, k, v = qkv(x).split(E, dim=-1)
    q, k, v = (t.reshape(B, T, h, E // h).transpose(1, 2) for t in (q, k, v))
    if past is not None:
        k, v = torch.cat([past[0], k], 2), torch.cat([past[1], v], 2)
    S = k.shape[2]
    scores = q @ k.transpose(-2, -1) / math.sqrt(E // h)
    allowed = torch.ones(T, S, dtype=torch.bool).tril(diagonal=S - T if offset_mask else 0)
    w = torch.softmax(scores.masked_fill(~allowed, float("-inf")), -1)
    return proj((w @ v).transpose(1, 2).reshape(B, T, E)), (k, v)


def _unpack(result, where):
    if not isinstance(result, tuple) or len(result) != 2:
        fail(f"{where}: causal_attention should return (output, (keys, values)); it returned "
             f"a {type(result).__name__}.")
    out, cache = result
    if not isinstance(cache, (tuple, list)) or len(cache) != 2:
        fail(f"{where}: the cache returned by causal_attention should be a pair (keys, "
             "values).")
    return out, cache


def _check_attention(attn, gen):
    B, T, E, h, P = 2, 9, 32, 4, 5
    qkv, proj = nn.Linear(E, 3 * E), nn.Linear(E, E)
    x = torch.randn(B, T, E, generator=gen)
    with torch.no_grad():
        want, (want_k, _) = _attention(x, qkv, proj, h)
        out, cache = _unpack(attn(x.clone(), qkv, proj, h, None), "Without a cache")
        expect_shape("the output without a cache", out, (B, T, E))
        expect_shape("the cached keys after 9 positions", cache[0], (B, h, T, E // h))
        expect_shape("the cached values after 9 positions", cache[1], (B, h, T, E // h))
        if not torch.allclose(out, want, rtol=RTOL, atol=ATOL):
            full = x.clone()
            full[:, -1] += 1.0                       # change only the last position
            changed, _ = _unpack(attn(full, qkv, proj, h, None), "Without a cache")
            if not torch.allclose(changed[:, :-1], out[:, :-1], rtol=RTOL, atol=ATOL):
                fail("Without a cache: changing the input at the last position changed the "
                     "outputs at earlier positions, so earlier queries see future keys. Apply "
                     "the causal mask.")
            expect_close("the output of causal_attention on a whole sequence (no cache)", out,
                         want, rtol=RTOL, atol=ATOL)
        if not torch.allclose(cache[0], want_k, rtol=RTOL, atol=ATOL):
            fail("Without a cache: the keys you return are not the keys of the 9 positions, "
                 "split into heads as (B, n_heads, positions, d_k).")

        first, c1 = _unpack(attn(x[:, :P].clone(), qkv, proj, h, None), "On the first chunk")
        second, c2 = _unpack(attn(x[:, P:].clone(), qkv, proj, h, c1),
                             "On the second chunk (with the cache of the first)")
        where = "Fed as a chunk of 5 positions and then a chunk of 4 (with the cache)"
        expect_shape(f"{where}: the output of the second chunk", second, (B, T - P, E))
        if c2[0].shape[2] != T:
            fail(f"{where}: after the second chunk the cache holds {c2[0].shape[2]} positions; "
                 f"it should hold all {T}. Return the concatenation of the cached and the new "
                 "keys and values, not only the new ones.")
        if not torch.allclose(second, want[:, P:], rtol=RTOL, atol=ATOL):
            wrong, _ = _attention(x[:, P:], qkv, proj, h, offset_mask=False, past=c1)
            if torch.allclose(second, wrong, rtol=RTOL, atol=ATOL):
                fail(f"{where}: the second chunk's outputs differ from the whole-sequence "
                     "ones. Its causal mask is a plain lower triangle of the (T, S) scores, so "
                     "new query i sees only keys 0..i; it sits at position P + i, so the "
                     "mask needs an offset of P (the cache length).")
            expect_close(f"{where}: the second chunk's output", second, want[:, P:],
                         rtol=RTOL, atol=ATOL)

        cache, outs = None, []
        for t in range(T):
            o, cache = _unpack(attn(x[:, t:t + 1].clone(), qkv, proj, h, cache),
                               f"At position {t}, fed one at a time")
            outs.append(o)
        expect_close("the outputs of causal_attention fed one position at a time (with the "
                     "cache)", torch.cat(outs, 1), want, rtol=RTOL, atol=ATOL)


def _recording(model):
    calls = []
    forward = model.forward

    def wrapped(ids, caches=None, start=0):
        past = None if caches is None else int(caches[0][0].shape[2])
        calls.append((tuple(ids.shape), int(start), past))
        return forward(ids, caches=caches, start=start)

    model.forward = wrapped
    return calls


def _check_generate(generate, ref, ctx):
    ctx.reseed(ctx.seed + 7)
    model = ref.TinyLM(vocab_size=40, d_model=32, n_heads=4, n_layers=2, max_len=64).eval()
    gen = torch.Generator().manual_seed(ctx.seed + 8)
    prompt = torch.randint(40, (6,), generator=gen)
    n_new = 12
    want_tokens, want_logits = ref.generate_uncached(model, prompt, n_new)
    calls = _recording(model)
    result = generate(model, prompt.clone(), n_new)
    if not isinstance(result, tuple) or len(result) != 2:
        fail("generate should return (tokens, logits).")
    tokens, logits = result
    tokens = torch.as_tensor(tokens).reshape(-1).cpu()
    where = f"generate(model, a prompt of 6 tokens, n_new={n_new})"
    if not calls:
        fail(f"{where} never called the model.")
    if calls[0][0] != (1, len(prompt)) or calls[0][2] is not None:
        fail(f"{where}: the first call should run the whole prompt at once, without a cache.")
    later = calls[1:]
    if any(shape[1] != 1 for shape, _, _ in later):
        fail(f"{where}: after the prompt, some calls to the model were given more than one "
             "token, so the cache is not being used (or the past is fed twice). Feed only "
             "the new token, with the caches of the previous call: one token per call.")
    for number, (_, start, past) in enumerate(later, start=1):
        expected_position = len(prompt) + number - 1
        if start != expected_position:
            fail(f"{where}: call {number + 1} feeds one new token with start={start}, but that "
                 "token is not at that position in the sequence. Its position is the number "
                 "of tokens already in the cache (prompt length + tokens generated so far), "
                 "and the model's position embedding needs it.")
        if past is not None and past != expected_position:
            fail(f"{where}: call {number + 1} passes a cache of {past} positions, "
                 f"but {expected_position} tokens came before the one it feeds. Keep the caches each call returns and pass those to the "
                 "next one: an old cache leaves out the tokens generated since.")
        if past is None:
            fail(f"{where}: call {number + 1} feeds one new token without the cache, so the "
                 "model cannot see the earlier tokens. Pass the caches of the previous call.")
    expect_shape(f"{where}: the tokens", tokens, (n_new,))
    if not torch.equal(tokens, want_tokens):
        first = int((tokens != want_tokens).nonzero()[0])
        fail(f"{where}: the generated tokens differ from uncached greedy decoding from token "
             f"{first} on. Take the argmax of the logits at the LAST position of each call.")
    expect_close(f"{where}: the logits", logits, want_logits, rtol=RTOL, atol=ATOL)
    return calls


def check(learner, ctx):
    attn = require_function(learner, "causal_attention")
    generate = require_function(learner, "generate")
    ctx.reseed()
    gen = torch.Generator().manual_seed(ctx.seed + 3)
    _check_attention(attn, gen)
    calls = _check_generate(generate, ctx.reference, ctx)
    steps = list(range(len(calls)))
    ctx.report.plot("positions computed per call", [shape[1] for shape, _, _ in calls], steps,
                    kind="line", xlabel="call", title="your cached decoder vs no cache",
                    overlay={"without a cache": (steps, [6 + i for i in steps])})
