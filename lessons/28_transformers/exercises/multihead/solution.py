"""Multi-head attention from scratch, checked against torch.nn.MultiheadAttention.

Each of the h heads works in a d_k = d_model / h dimensional subspace: project the inputs
(one Linear layer each for queries, keys and values), split the last axis into h heads,
attend in every head at once, glue the heads back together and mix them with a final Linear.
"""

import math

import torch
from torch import nn

from homl_tui import report
from homl_tui.runtime.device import default_device

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
        return x.view(B, L, self.n_heads, self.d_k).transpose(1, 2)

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


if __name__ == "__main__":
    device = default_device()
    torch.manual_seed(0)
    d_model, n_heads, B, L = 32, 4, 2, 6
    mine = MultiHeadAttention(d_model, n_heads).to(device)
    ref = nn.MultiheadAttention(d_model, n_heads, batch_first=True).to(device)
    with torch.no_grad():  # give PyTorch's layer the same weights as ours
        ref.in_proj_weight.copy_(torch.cat([mine.q_proj.weight, mine.k_proj.weight,
                                            mine.v_proj.weight]))
        ref.in_proj_bias.copy_(torch.cat([mine.q_proj.bias, mine.k_proj.bias,
                                          mine.v_proj.bias]))
        ref.out_proj.weight.copy_(mine.out_proj.weight)
        ref.out_proj.bias.copy_(mine.out_proj.bias)
    x = torch.randn(B, L, d_model, device=device)
    causal = torch.ones(L, L, dtype=torch.bool, device=device).tril()
    with torch.no_grad():
        ours = mine(x, x, x, mask=causal)
        # PyTorch's boolean attn_mask means the opposite: True = NOT allowed.
        theirs, _ = ref(x, x, x, attn_mask=~causal, need_weights=False)
    print("largest difference from nn.MultiheadAttention:",
          (ours - theirs).abs().max().item())
    for h in range(n_heads):
        report.plot(f"head {h}", mine.last_weights[0, h].cpu(), kind="matrix",
                    xlabel="key", ylabel="query", title=f"causal attention of head {h}")
