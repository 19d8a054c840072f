"""Mutant: takes the maximum over the wrong axis: one scale per input column.

int8 weight quantization by hand: per-channel symmetric scales, a QuantLinear layer, and
what it costs in accuracy and saves in bytes."""

import copy
import warnings

import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn

from homl_tui import report


def quantize_per_channel(W):
    """Symmetric int8 quantization of a weight matrix W of shape (out_features, in_features),
    with one scale per output channel (per row).

    scale[i] = max |W[i, :]| / 127 (use 1.0 for an all-zero row), q = round(W / scale[i]),
    clamped to [-127, 127] and stored as torch.int8. Return (q, scale) with q of W's shape and
    scale a float32 tensor of shape (out_features,).
    """
    amax = W.abs().amax(dim=0)
    scale = torch.where(amax > 0, amax / 127, torch.ones_like(amax)).float()
    q = torch.clamp(torch.round(W / scale[None, :]), -127, 127).to(torch.int8)
    return q, scale


def dequantize(q, scale):
    """The float32 weights that (q, scale) stand for: q * scale, row by row."""
    return q.float() * scale[None, :]


class QuantLinear(nn.Module):
    """A linear layer that stores its weights as int8 plus one float32 scale per output.

    The forward pass dequantizes the weights and runs an ordinary float linear layer
    (weight-only quantization: memory shrinks, the arithmetic stays in float).
    """

    def __init__(self, linear):
        super().__init__()
        q, scale = quantize_per_channel(linear.weight.detach())
        self.register_buffer("q_weight", q)
        self.register_buffer("scale", scale)
        bias = None if linear.bias is None else linear.bias.detach().clone()
        self.register_buffer("bias", bias)

    def forward(self, x):
        return F.linear(x, dequantize(self.q_weight, self.scale).to(x.dtype), self.bias)


# ---- Done for you: swapping the layers, measuring, and a model to quantize. ----

def quantize_model(model):
    """A copy of model with every nn.Linear replaced by a QuantLinear (the original is kept)."""
    model = copy.deepcopy(model)

    def swap(module):
        for name, child in module.named_children():
            if isinstance(child, nn.Linear):
                setattr(module, name, QuantLinear(child))
            else:
                swap(child)

    swap(model)
    return model


def state_dict_bytes(model):
    """How many bytes the tensors of model.state_dict() take (what a checkpoint stores)."""
    return sum(t.numel() * t.element_size() for t in model.state_dict().values())


def accuracy(model, X, y):
    with torch.no_grad():
        return (model(X).argmax(dim=1) == y).float().mean().item()


def train_digits_mlp(seed=0, epochs=20):
    """An MLP trained on 70% of the digits; returns (model, X_test, y_test)."""
    X, y = load_digits(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X / 16.0, y, test_size=0.3, random_state=seed,
                                              stratify=y)
    X_tr, X_te = torch.tensor(X_tr, dtype=torch.float32), torch.tensor(X_te, dtype=torch.float32)
    y_tr, y_te = torch.tensor(y_tr), torch.tensor(y_te)
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                          nn.Linear(128, 10))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    g = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        order = torch.randperm(len(X_tr), generator=g)
        for start in range(0, len(X_tr), 64):
            idx = order[start:start + 64]
            optimizer.zero_grad()
            F.cross_entropy(model(X_tr[idx]), y_tr[idx]).backward()
            optimizer.step()
    model.eval()
    return model, X_te, y_te


if __name__ == "__main__":
    model, X_te, y_te = train_digits_mlp()
    quantized = quantize_model(model)
    sizes = {"float32": state_dict_bytes(model), "int8 (yours)": state_dict_bytes(quantized)}
    print(f"float32 model:    test accuracy {accuracy(model, X_te, y_te):.2%}, "
          f"{sizes['float32']:,} bytes")
    print(f"int8 weights:     test accuracy {accuracy(quantized, X_te, y_te):.2%}, "
          f"{sizes['int8 (yours)']:,} bytes")
    W = model[0].weight.detach()
    q, scale = quantize_per_channel(W)
    error = (dequantize(q, scale) - W).abs()
    print(f"first layer: largest weight error {error.max():.2e}, "
          f"at most half a step: {bool((error <= scale[:, None] / 2 + 1e-7).all())}")
    try:  # PyTorch's own (deprecated, eager-mode) dynamic quantization, for comparison
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from torch.ao.quantization import quantize_dynamic
            dynamic = quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)
            print(f"quantize_dynamic: test accuracy {accuracy(dynamic, X_te, y_te):.2%} "
                  "(int8 weights AND activations at run time)")
    except (ImportError, RuntimeError, AssertionError) as exc:
        print(f"torch.ao.quantization.quantize_dynamic is not available here: {exc}")
    report.plot("size", list(sizes.values()), list(sizes.keys()), kind="bar",
                title="bytes in the state_dict", ylabel="bytes")
    report.plot("q", q.float(), kind="image", title="int8 weights of the first layer")
