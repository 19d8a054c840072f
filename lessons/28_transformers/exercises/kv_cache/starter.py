"""KV-cache decoding: generate one token at a time without recomputing the past.

A decoder generates text by running the model on the sequence so far and picking the next
token from the logits at the last position. Run naively, step t recomputes the keys and
values of all t earlier positions, although they never change (a causal model's past does
not depend on the future). A KV cache keeps each layer's keys and values, so every step only
computes them for the new token and appends them: the result is the same, the work per
step no longer grows with the length.
"""

import math
import time

import torch
from torch import nn

from homl_tui import report
from homl_tui.runtime.device import default_device


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
    # TODO 1: queries, keys and values of the new positions: qkv(x) has 3E features; split
    #         them into three (B, T, E) tensors, then each into heads: (B, n_heads, T, d_k).
    # TODO 2: if there is a cache, put the cached keys/values in front of the new ones
    #         (concatenate along the positions axis). S = P + T positions in all.
    # TODO 3: scores (B, n_heads, T, S), scaled by sqrt(d_k). The causal mask is (T, S):
    #         new query i is absolute position P + i and may see keys 0 .. P + i.
    #         (torch.tril has a `diagonal` argument.) -inf where not allowed, softmax, @ v.
    # TODO 4: merge the heads back to (B, T, E), apply proj, and return
    #         (output, (all keys, all values)) so the next call can continue from here.
    raise NotImplementedError("causal_attention: fill in the TODOs")


@torch.no_grad()
def generate(model, prompt, n_new):
    """Greedy decoding with the KV cache. prompt: 1-D LongTensor of token ids.

    One call on the whole prompt, then one call per new token with only that token.
    Returns (tokens (n_new,) LongTensor, logits (n_new, vocab_size)): the chosen tokens and
    the logits each was chosen from.
    """
    device = next(model.parameters()).device
    ids = prompt.to(device)[None]                     # (1, P): a batch of one sequence
    # TODO 5: run the model once on the whole prompt (caches=None, start=0); it returns
    #         (logits, caches).
    # TODO 6: n_new times: take the logits at the LAST position, pick the argmax, record
    #         both; then call the model on that single token (shape (1, 1)) with the caches
    #         of the previous call and start = its position in the sequence. Keep the
    #         caches this call returns for the next one.
    # TODO 7: return (tokens as a 1-D LongTensor, logits stacked to (n_new, vocab)), on the CPU.
    raise NotImplementedError("generate: fill in the TODOs")


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


if __name__ == "__main__":
    device = default_device()
    torch.manual_seed(0)
    model = TinyLM(vocab_size=64, d_model=64, n_heads=4, n_layers=4, max_len=512).to(device)
    model.eval()
    prompt = torch.randint(64, (16,))
    n_new = 200
    start = time.perf_counter()
    slow_tokens, slow_logits = generate_uncached(model, prompt, n_new)
    slow = time.perf_counter() - start
    start = time.perf_counter()
    fast_tokens, fast_logits = generate(model, prompt, n_new)
    fast = time.perf_counter() - start
    print(f"{n_new} tokens without a cache: {slow:.2f} s; with the cache: {fast:.2f} s")
    print("same tokens:", torch.equal(slow_tokens, fast_tokens),
          "  largest logit difference:", (slow_logits - fast_logits).abs().max().item())
    print("first tokens:", fast_tokens[:20].tolist())
    report.plot("logit difference per step", (slow_logits - fast_logits).abs().amax(-1),
                kind="line", xlabel="generated token", title="cached vs uncached")
