"""Check predict: float32 input, model and batch moved to the requested device, eval mode, no
graph, and a float32 result on the CPU equal to the model's own outputs in evaluation mode.

Outputs are compared with the check's own eval-mode forward pass at rtol 1e-5, atol 1e-6.
Where the computation happens is checked with a probe module sent to the "meta" device (a
placeholder device without data that exists on every PyTorch build): the probe records the
device, dtype and mode of what it receives, so a batch left on the CPU is caught even on a
machine without a GPU. On a CUDA or MPS machine the real model also runs on ctx.device.
"""

import copy

import torch
from torch import nn

from homl_tui.checks import expect_close, expect_true, fail, require_function


class Probe(nn.Module):
    """Records what each forward call receives; returns zeros on the CPU."""

    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(torch.ones(3))
        self.calls = []

    def forward(self, x):
        self.calls.append({
            "device": x.device.type, "params": self.scale.device.type, "dtype": x.dtype,
            "training": self.training, "grad": torch.is_grad_enabled(),
        })
        return torch.zeros(x.shape[0], 3)


def _model():
    return nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Dropout(0.5), nn.Linear(32, 3))


def _expected(model, X):
    ref = copy.deepcopy(model).cpu().eval()
    with torch.no_grad():
        return ref(torch.as_tensor(X, dtype=torch.float32))


def _call(predict, model, X, device, where):
    try:
        return predict(model, X, device)
    except RuntimeError as exc:
        text = str(exc)
        if "dtype" in text or "Double" in text or "scalar type" in text:
            fail(f"{where}: the model raised a dtype error ({text.splitlines()[0][:90]}). "
                 "NumPy arrays are float64 but the model's weights are float32: convert X to a "
                 "float32 tensor before the forward pass.")
        raise


def _check_output(out, n, where):
    if not isinstance(out, torch.Tensor):
        fail(f"{where}: `predict` returned a {type(out).__name__}; return a torch tensor.")
    expect_true(out.device.type == "cpu", f"{where}: the result is on {out.device}; bring it "
                "back with .cpu() so that NumPy, printing and plotting can use it.")
    expect_true(out.dtype == torch.float32, f"{where}: the result has dtype "
                f"{str(out.dtype).replace('torch.', '')}; it should stay float32, the model's "
                "dtype (convert the input, not the model).")
    expect_true(tuple(out.shape) == (n, 3), f"{where}: the result has shape "
                f"{tuple(out.shape)}; the model gives one row of 3 outputs per row of X.")
    expect_true(not out.requires_grad, f"{where}: the result still tracks gradients "
                "(requires_grad=True), so PyTorch recorded a graph for nothing. Compute the "
                "outputs inside `with torch.no_grad():`.")


def _check_values(predict, ctx):
    rng = ctx.rng(1)
    device = ctx.device
    torch.manual_seed(ctx.seed + 1)
    model = _model()  # left in training mode on purpose: predict must switch to eval
    for kind in ("NumPy float64 array", "float32 tensor", "float64 tensor"):
        X = rng.normal(size=(40, 6))
        if kind == "float32 tensor":
            X = torch.tensor(X, dtype=torch.float32)
        elif kind == "float64 tensor":
            X = torch.tensor(X, dtype=torch.float64)
        where = f"With X a {kind} of shape (40, 6) and device='{device}'"
        expected = _expected(model, X)
        out = _call(predict, model, X, device, where)
        _check_output(out, 40, where)
        again = _call(predict, model, X, device, where)
        if not torch.allclose(out, expected, rtol=1e-5, atol=1e-6) and not torch.equal(out, again):
            fail(f"{where}: two calls on the same X gave different outputs, and neither "
                 "matches the model in evaluation mode: dropout is still active. Call "
                 "model.eval() before predicting.")
        expect_close(f"predict(...) ({where})", out, expected, rtol=1e-5, atol=1e-6)

    X = rng.normal(size=(10, 6))
    out = predict(model, X)
    _check_output(out, 10, "With device left to its default (None)")
    expect_close("predict(model, X) with the default device", out, _expected(model, X),
                 rtol=1e-5, atol=1e-6)


def _check_placement(predict, ctx):
    probe = Probe()
    X = ctx.rng(2).normal(size=(8, 6))
    where = ("With device='meta' (a data-less placeholder device the check uses to see where "
             "your code computes)")
    try:
        out = predict(probe, X, "meta")
    except (RuntimeError, TypeError, ValueError) as exc:
        fail(f"{where} your code raised {type(exc).__name__}: {str(exc).splitlines()[0][:120]} "
             "Use only the `device` argument: torch.as_tensor(...).to(device) and "
             "model.to(device).")
    if not probe.calls:
        fail("`predict` never called the model.")
    call = probe.calls[-1]
    if call["params"] != "meta":
        fail(f"{where}, the model's parameters stayed on {call['params']}: move the model "
             "with model.to(device), and do not hard-code a device name.")
    if call["device"] != "meta":
        fail(f"{where}, the model was moved but the batch reached it on {call['device']}: "
             "move X too (.to(device)); on a GPU, mixing devices raises an error.")
    expect_true(call["dtype"] == torch.float32, f"{where}, the batch reached the model as "
                f"{str(call['dtype']).replace('torch.', '')}; convert it to float32.")
    expect_true(not call["training"], "The model was still in training mode during predict "
                "(dropout active): call model.eval() first.")
    expect_true(not call["grad"], "The forward pass ran with gradient tracking on: wrap it in "
                "`with torch.no_grad():` (predictions need no graph, which saves memory).")
    _check_output(out, 8, where)


def check(learner, ctx):
    predict = require_function(learner, "predict")
    torch.set_grad_enabled(True)
    ctx.reseed()
    _check_values(predict, ctx)
    _check_placement(predict, ctx)
