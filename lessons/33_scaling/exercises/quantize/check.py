"""Check quantize_per_channel, dequantize, QuantLinear and the quantized digits MLP.

1. quantize_per_channel on seeded matrices whose rows differ in magnitude by up to 10**4, one
   row all zeros: int8 values in [-127, 127], a float32 scale per ROW, every nonzero row uses
   the full range (max |q| = 127), and each weight is recovered to within half a step
   (|W - q * scale| <= scale / 2). dequantize is compared with q * scale.
2. QuantLinear from an nn.Linear: the state_dict holds int8 weights and no float copy of them;
   its output is close to the float layer's.
3. Model quality: an MLP 64-256-128-10 trained on 70% of the digits (10 epochs of SGD), then
   quantize_model (the file's, with the learner's QuantLinear). Reference runs, seeds 0-4,
   test accuracy float / int8: 0.9685 / 0.9685, 0.9741 / 0.9741, 0.9685 / 0.9685,
   0.9759 / 0.9759, 0.9778 / 0.9778; state_dict size ratio 0.264. We allow a drop of at most 1
   point and a ratio of at most 0.35. Training takes about 0.2 s with one thread.
"""

import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn

from homl_tui.checks import (
    expect_at_least,
    expect_at_most,
    expect_true,
    fail,
    require_class,
    require_function,
)

MAX_DROP, MAX_RATIO = 0.01, 0.35


def _matrix(g, out, inp, zero_row):
    W = torch.randn(out, inp, generator=g) * 10 ** (torch.rand(out, 1, generator=g) * 4 - 3)
    if zero_row is not None:
        W[zero_row] = 0
    return W


def _check_quantize(quantize, g):
    for out, inp, zero_row in ((5, 7, 2), (16, 3, None), (1, 10, None), (8, 8, 0)):
        W = _matrix(g, out, inp, zero_row)
        where = f"For a ({out}, {inp}) weight matrix"
        result = quantize(W.clone())
        expect_true(isinstance(result, tuple) and len(result) == 2,
                    f"{where}: quantize_per_channel should return a pair (q, scale).")
        q, scale = result
        expect_true(isinstance(q, torch.Tensor) and q.dtype == torch.int8,
                    f"{where}: q should be a torch.int8 tensor; it is "
                    f"{getattr(q, 'dtype', type(q).__name__)}. Convert with .to(torch.int8).")
        expect_true(tuple(q.shape) == (out, inp), f"{where}: q has shape {tuple(q.shape)}; it "
                    "should have the shape of W.")
        scale = torch.as_tensor(scale)
        if tuple(scale.shape) != (out,):
            if tuple(scale.shape) == (inp,) or tuple(scale.shape) == (1, inp):
                fail(f"{where}: scale has shape {tuple(scale.shape)}, one per input column. "
                     "Per-channel quantization of a linear layer keeps one scale per OUTPUT "
                     "channel: take the maximum over each row (dim=1).")
            fail(f"{where}: scale has shape {tuple(scale.shape)}; it should hold one value per "
                 f"row of W ({out},).")
        expect_true(scale.dtype == torch.float32, f"{where}: scale is {scale.dtype}; make it "
                    "float32.")
        if not torch.isfinite(scale).all() or (scale <= 0).any():
            fail(f"{where} with an all-zero row: the scale of that row is zero or not finite, "
                 "so W / scale divides by zero. Use a scale of 1.0 for rows whose maximum is 0.")
        Wq = q.float() * scale[:, None]
        step = scale[:, None].expand_as(W)
        if ((W > 0) & (q < 0)).any() or ((W < 0) & (q > 0)).any():
            fail(f"{where}: some large weights came back with the opposite sign: their "
                 "quantized value went past the int8 range and wrapped around. Use "
                 "scale = max|row| / 127 and clamp to [-127, 127] before .to(torch.int8).")
        expect_true(int(q.min()) >= -127, f"{where}: q contains -128. A symmetric scheme uses "
                    "[-127, 127], so that q and -q are both representable: clamp to it.")
        err = (Wq - W).abs()
        if (err > step * 0.5 * (1 + 1e-4) + 1e-12).any():
            if (err < step).all():
                fail(f"{where}: some weights are off by more than half a quantization step: "
                     "converting to int8 truncates toward zero. torch.round first.")
            fail(f"{where}: q * scale does not recover W to within half a step.")
        row_max = q.abs().amax(dim=1)
        nonzero = W.abs().amax(dim=1) > 0
        expect_true(bool((row_max[nonzero] == 127).all()),
                    f"{where}: not every row uses the full int8 range (its largest |q| should "
                    "be 127). The scale of a row is its largest |weight| divided by 127.")
    return Wq


def _check_dequantize(dequantize, g):
    q = torch.randint(-127, 128, (6, 9), generator=g, dtype=torch.int8)
    scale = torch.rand(6, generator=g) + 0.01
    got = dequantize(q.clone(), scale.clone())
    expect_true(isinstance(got, torch.Tensor) and got.dtype == torch.float32,
                "dequantize should return a float32 tensor.")
    expect_true(tuple(got.shape) == (6, 9), f"dequantize returned shape {tuple(got.shape)}; it "
                "should be q's shape.")
    if not torch.allclose(got, q.float() * scale[:, None], rtol=1e-6, atol=1e-7):
        fail("dequantize(q, scale) is not q times the scale of each ROW (scale[:, None]).")


def _check_layer(QuantLinear, g):
    torch.manual_seed(int(torch.randint(0, 10**6, (1,), generator=g)))
    linear = nn.Linear(20, 7)
    layer = QuantLinear(linear)
    state = layer.state_dict()
    expect_true(any(t.dtype == torch.int8 for t in state.values()),
                "QuantLinear's state_dict holds no int8 tensor: store q with "
                "self.register_buffer(\"q_weight\", q), so it is saved with the model.")
    floats = [k for k, t in state.items() if t.is_floating_point() and t.numel() >= 20 * 7]
    if floats:
        fail(f"QuantLinear's state_dict still holds a float tensor as big as the weights "
             f"({floats[0]!r}): keeping the float32 weights next to the int8 copy saves no "
             "memory. Store only q, the scales and the bias.")
    x = torch.randn(11, 20, generator=g)
    with torch.no_grad():
        got, want = layer(x), linear(x)
    expect_true(tuple(got.shape) == (11, 7), f"QuantLinear's output has shape "
                f"{tuple(got.shape)}; it should match nn.Linear's.")
    bound = (x.abs().sum(dim=1, keepdim=True) * linear.weight.abs().amax() / 127).expand_as(want)
    if ((got - want).abs() > bound).any():
        fail("QuantLinear's output is further from nn.Linear's than int8 rounding can explain: "
             "use the dequantized weights and add the bias.")


def _train(seed, epochs=10):
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


def _bytes(model):
    return sum(t.numel() * t.element_size() for t in model.state_dict().values())


def _accuracy(model, X, y):
    with torch.no_grad():
        return (model(X).argmax(dim=1) == y).float().mean().item()


def check(learner, ctx):
    quantize = require_function(learner, "quantize_per_channel")
    dequantize = require_function(learner, "dequantize")
    QuantLinear = require_class(learner, "QuantLinear", nn.Module)
    quantize_model = require_function(learner, "quantize_model")
    ctx.reseed()
    g = torch.Generator().manual_seed(ctx.seed + 17)
    with torch.no_grad():
        _check_quantize(quantize, g)
        _check_dequantize(dequantize, g)
    _check_layer(QuantLinear, g)

    torch.set_grad_enabled(True)
    ctx.reseed()
    model, X_te, y_te = _train(ctx.seed)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    quantized = quantize_model(model)
    expect_true(all(torch.equal(before[k], v) for k, v in model.state_dict().items()),
                "quantize_model changed the original model: it should work on a copy.")
    base, acc = _accuracy(model, X_te, y_te), _accuracy(quantized, X_te, y_te)
    ratio = _bytes(quantized) / _bytes(model)
    ctx.report.plot("size", [_bytes(model), _bytes(quantized)], ["float32", "int8"], kind="bar",
                    title="bytes in the state_dict", ylabel="bytes")
    expect_at_least("The quantized model's test accuracy", acc, base - MAX_DROP,
                    "That is more than 1 point below the float model: check the rounding and "
                    "the scales.", fmt=".2%")
    expect_at_most("The quantized state_dict's size, as a fraction of the float one", ratio,
                   MAX_RATIO, "int8 weights take a quarter of the bytes of float32 ones: store "
                   "only the int8 weights, the scales and the bias.", fmt=".2f")
