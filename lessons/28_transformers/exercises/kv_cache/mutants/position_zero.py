"""Mistake: every new token is fed at position 0 (start=0), so its position embedding is wrong.

KV-cache decoding: generate one token at a time without recomputing the past.

A decoder generates text by running the model on the sequence so far and picking the next
token from the logits at the last position. Run naively, step t recomputes the keys and
values of all t earlier positions, although they never change (a causal model's past does
not depend on the future). A KV cache keeps each layer's keys and values, so every step only
computes them for the new token and appends them: the result is the same, the work per
step no longer grows with the length.
"""

import math

import torch
from torch import nn

# ---- Your part: attention that reads and extends a cache, and the decoding loop. ----

def causal_attention(x, qkv, proj, n_heads, cache=None):
    """Causal multi-head self-attention over NEW positions, reusing cached keys/values.

    x: (B, T, E), the inputs at the T new positions. qkv: nn.Linear(E, 3E) giving queries,
    keys and values (in that order along the last axis); proj: nn.Linear(E, E), the output
    projection. cache: None, or a pair (k_past, v_past), each (B, n_heads, P, E // n_heads):
    the keys and values of the P earlier positions.

    The new query at index i sits at absolute position P + i and may attend to keys
    0 .. P + i. Returns (output (B, T, E), (k_all, v_all)), with P + T positions in the cache.
    """
    B, T, E = x.shape
    d_k = E // n_heads
    q, k, v = qkv(x).split(E, dim=-1)
    q, k, v = (t.view(B, T, n_heads, d_k).transpose(1, 2) for t in (q, k, v))
    if cache is not None:
        k = torch.cat([cache[0], k], dim=2)
        v = torch.cat([cache[1], v], dim=2)
    S = k.shape[2]                          # all positions so far: P + T
    P = S - T
    scores = q @ k.transpose(-2, -1) / math.sqrt(d_k)
    allowed = torch.ones(T, S, dtype=torch.bool, device=x.device).tril(diagonal=P)
    scores = scores.masked_fill(~allowed, float("-inf"))
    out = torch.softmax(scores, dim=-1) @ v
    out = out.transpose(1, 2).reshape(B, T, E)
    return proj(out), (k, v)


@torch.no_grad()
def generate(model, prompt, n_new):
    """Greedy decoding with the KV cache. prompt: 1-D LongTensor of token ids.

    One call on the whole prompt, then one call per new token with only that token.
    Returns (tokens (n_new,) LongTensor, logits (n_new, vocab_size)): the chosen tokens and
    the logits each was chosen from.
    """
    device = next(model.parameters()).device
    ids = prompt.to(device)[None]                     # (1, P)
    logits, caches = model(ids, caches=None, start=0)
    position = ids.shape[1]
    tokens, step_logits = [], []
    for _ in range(n_new):
        last = logits[0, -1]
        next_id = last.argmax()
        tokens.append(next_id)
        step_logits.append(last)
        logits, caches = model(next_id.view(1, 1), caches=caches, start=0)
        position += 1
    return torch.stack(tokens).cpu(), torch.stack(step_logits).cpu()


# ---- Done for you: a small decoder-only transformer that calls causal_attention. ----

class Block(nn.Module):
    def __init__(self, d_model, n_heads):
        super().__init__()
        self.n_heads = n_heads
        self.ln1 = nn.LayerNorm(d_model)
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(),
                                 nn.Linear(4 * d_model, d_model))

    def forward(self, x, cache=None):
        a, cache = causal_attention(self.ln1(x), self.qkv, self.proj, self.n_heads, cache)
        x = x + a
        return x + self.mlp(self.ln2(x)), cache


class TinyLM(nn.Module):
    """Token + learned position embeddings, n_layers pre-norm blocks, a linear head."""

    def __init__(self, vocab_size=64, d_model=32, n_heads=4, n_layers=2, max_len=256):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        self.blocks = nn.ModuleList(Block(d_model, n_heads) for _ in range(n_layers))
        self.ln_f = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab_size)

    def forward(self, ids, caches=None, start=0):
        """ids (B, T) sit at positions start .. start + T - 1 of the sequence; caches: None
        or one (k, v) pair per block. Returns (logits (B, T, vocab), new caches)."""
        positions = torch.arange(start, start + ids.shape[1], device=ids.device)
        x = self.tok(ids) + self.pos(positions)
        new_caches = []
        for i, block in enumerate(self.blocks):
            x, cache = block(x, None if caches is None else caches[i])
            new_caches.append(cache)
        return self.head(self.ln_f(x)), new_caches


@torch.no_grad()
def generate_uncached(model, prompt, n_new):
    """The slow way: run the model on the whole sequence again for every new token."""
    device = next(model.parameters()).device
    ids = prompt.to(device)[None]
    tokens, step_logits = [], []
    for _ in range(n_new):
        logits, _ = model(ids)
        last = logits[0, -1]
        tokens.append(last.argmax())
        step_logits.append(last)
        ids = torch.cat([ids, last.argmax().view(1, 1)], dim=1)
    return torch.stack(tokens).cpu(), torch.stack(step_logits).cpu()

