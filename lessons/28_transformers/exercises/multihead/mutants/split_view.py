"""Mistake: splits the heads with a direct view to (B, n_heads, L, d_k)."""


import math

import torch
from torch import nn

# ---- Done for you: your solution to the previous exercise. ----

def scaled_dot_product_attention(Q, K, V, mask=None):
    scores = Q @ K.transpose(-2, -1) / math.sqrt(Q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    return weights @ V, weights


# ---- Multi-head attention. ----

class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, n_heads):
        super().__init__()
        if d_model % n_heads:
            raise ValueError("d_model must be a multiple of n_heads")
        self.d_model, self.n_heads, self.d_k = d_model, n_heads, d_model // n_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model)
        self.v_proj = nn.Linear(d_model, d_model)
        self.out_proj = nn.Linear(d_model, d_model)
        self.last_weights = None

    def split_heads(self, x):
        """(B, L, d_model) -> (B, n_heads, L, d_k)."""
        B, L, _ = x.shape
        return x.view(B, self.n_heads, L, self.d_k)

    def merge_heads(self, x):
        """(B, n_heads, L, d_k) -> (B, L, d_model)."""
        B, _, L, _ = x.shape
        return x.transpose(1, 2).reshape(B, L, self.d_model)

    def forward(self, query, key, value, mask=None):
        """query (B, Lq, d_model), key and value (B, Lk, d_model); mask: bool, True = may
        attend, broadcastable to (B, n_heads, Lq, Lk). Returns (B, Lq, d_model)."""
        Q = self.split_heads(self.q_proj(query))
        K = self.split_heads(self.k_proj(key))
        V = self.split_heads(self.v_proj(value))
        out, weights = scaled_dot_product_attention(Q, K, V, mask)
        self.last_weights = weights.detach()
        return self.out_proj(self.merge_heads(out))

