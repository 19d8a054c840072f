"""Check save_weights and load_weights: the file holds a state_dict (loadable with
weights_only=True, buffers included), and load_weights returns a fresh model built by
make_model, holding exactly the saved tensors, on the requested device, in evaluation mode.

The model has BatchNorm (whose running statistics are buffers, not parameters) and dropout, and
is trained for a few steps first so that no tensor still holds its initial value. Everything
is exact: the reloaded tensors must equal the saved ones, and the outputs must match at
rtol 1e-5, atol 1e-6.
"""

import os
import pickle
import tempfile
from collections.abc import Mapping

import torch
from torch import nn

from homl_tui.checks import expect_true, fail, require_function


class Builder:
    """make_model for the check: counts how many fresh models it built."""

    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return nn.Sequential(nn.Linear(6, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.4),
                             nn.Linear(16, 3))


def _trained(builder, g):
    model = builder()
    X = torch.randn(64, 6, generator=g)
    y = torch.randint(0, 3, (64,), generator=g)
    # Plain SGD by hand: the first torch.optim optimizer of a process costs seconds of imports.
    for _ in range(5):
        loss = nn.functional.cross_entropy(model(X), y)
        model.zero_grad()
        loss.backward()
        with torch.no_grad():
            for p in model.parameters():
                p -= 0.1 * p.grad
    return model.eval()


def _check_file(path, model):
    expect_true(os.path.isfile(path), "save_weights did not create the file at `path`.")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError:
        fail("The file holds a pickled model object, not a state_dict: it can only be loaded "
             "with the same class definitions, and only by trusting the file to run code "
             "(weights_only=False). Save model.state_dict() instead.")
    if not isinstance(state, Mapping):
        fail(f"The saved file holds a {type(state).__name__}; it should hold the model's "
             "state_dict (a dictionary of tensors).")
    expected = model.state_dict()
    missing = sorted(set(expected) - set(state))
    if missing:
        fail(f"The saved dictionary lacks {missing[:3]}: save model.state_dict(), which holds "
             "the buffers (like BatchNorm's running statistics) as well as the parameters.")
    extra = sorted(set(state) - set(expected))
    expect_true(not extra, f"The saved dictionary has unexpected entries {extra[:3]}: save "
                "model.state_dict() itself.")


def check(learner, ctx):
    save_weights = require_function(learner, "save_weights")
    load_weights = require_function(learner, "load_weights")
    torch.set_grad_enabled(True)
    ctx.reseed()
    g = torch.Generator().manual_seed(ctx.seed + 9)
    builder = Builder()
    model = _trained(builder, g)
    saved = {k: v.clone() for k, v in model.state_dict().items()}
    X = torch.randn(20, 6, generator=g)
    with torch.no_grad():
        expected = model(X)

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "weights.pt")
        save_weights(model, path)
        _check_file(path, model)
        builder.calls = 0
        loaded = load_weights(path, builder, ctx.device)
        if isinstance(loaded, tuple) and hasattr(loaded, "missing_keys"):
            fail("load_weights returned the report of load_state_dict (missing and unexpected "
                 "keys), not the model: load_state_dict changes the model in place and returns "
                 "that report. Return the model itself.")
        if not isinstance(loaded, nn.Module):
            fail(f"load_weights returned a {type(loaded).__name__}; return the model.")
        expect_true(loaded is not model, "load_weights returned the original model object.")
        expect_true(builder.calls >= 1, "load_weights never called make_model(): build a fresh "
                    "model from the architecture, then load the saved tensors into it.")
        state = loaded.state_dict()
        for name, tensor in saved.items():
            got = state.get(name)
            if got is None or not torch.equal(got.detach().cpu(), tensor):
                fail(f"After load_weights, `{name}` does not hold the saved values: the fresh "
                     "model was never given the tensors from the file (load_state_dict).")
        device = torch.device(ctx.device).type
        expect_true(all(t.device.type == device for t in state.values()),
                    f"The reloaded model is not entirely on the requested device ({device}).")
        if loaded.training:
            fail("The reloaded model is in training mode: dropout would change its predictions "
                 "at every call and BatchNorm would use batch statistics. Switch it to "
                 "evaluation mode before returning it.")
        with torch.no_grad():
            out = loaded(X.to(ctx.device)).cpu()
        expect_true(torch.allclose(out, expected, rtol=1e-5, atol=1e-6),
                    "The reloaded model's outputs differ from the original's.")

        default = load_weights(path, builder)
        expect_true(isinstance(default, nn.Module) and not default.training,
                    "With device left to its default, load_weights should still return the "
                    "model in evaluation mode.")
