"""Check linear_ae: the model is affine with a code of the right size, CODE_SIZE fits the data,
the training loop streams its loss, and the trained decoder spans PCA's plane.

Data: 600 training and 400 held-out points near a tilted plane through (2, -1, 3) in 3-D
(spread 2.0 and 0.8 along the plane, 0.05 across it). Training: Adam, lr 0.02, 60 epochs of
batch 32 (about 1,100 steps, 1-2 s on one core).
Reference over 10 seeds (data seed 1000 + s, torch seed s):
- held-out MSE of the autoencoder / held-out MSE of PCA with 2 components (fitted on the
  training set): 1.02 1.05 1.13 1.67 1.35 1.37 1.08 1.12 1.26 1.07 (max 1.67); we allow 3.0.
- sine of the largest principal angle between the decoder's column space and PCA's plane:
  0.0012 0.013 0.008 0.018 0.004 0.007 0.0003 0.009 0.013 0.017 (max 0.018); we allow 0.05.
Wrong models land far away: without biases (no centring) the ratio is about 85 and the angle's
sine 0.56; with a code of 1 number the ratio is about 270.
"""

import math

import torch

from homl_tui.checks import CheckFailed, expect_decreasing, expect_true, fail, require_function

N_TRAIN, N_TEST = 600, 400
EPOCHS, BATCH, LR = 60, 32, 0.02
MAX_RATIO, MAX_SINE = 3.0, 0.05


def make_plane_cloud(n, generator):
    mean = torch.tensor([2.0, -1.0, 3.0])
    basis = torch.linalg.qr(torch.tensor([[1.0, 0.3], [0.5, -1.0], [-0.4, 0.6]]))[0]
    normal = torch.linalg.cross(basis[:, 0], basis[:, 1])
    coords = torch.randn(n, 2, generator=generator) * torch.tensor([2.0, 0.8])
    across = 0.05 * torch.randn(n, 1, generator=generator)
    return mean + coords @ basis.T + across * normal


def _call(what, fn, *args):
    try:
        return fn(*args)
    except NotImplementedError:
        raise
    except (RuntimeError, ValueError, TypeError) as exc:
        fail(f"{what} raised {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")


def _check_code_size(learner):
    k = getattr(learner, "CODE_SIZE", None)
    if isinstance(k, bool) or not isinstance(k, int):
        fail("Set CODE_SIZE (at the top of the file) to a whole number: how many numbers the "
             "code of each point holds.")
    if k < 1:
        fail(f"CODE_SIZE is {k}; a code needs at least one number.")
    if k >= 3:
        fail(f"CODE_SIZE is {k}, as many numbers as each point has coordinates: with no "
             "bottleneck the autoencoder can just copy its input and learns nothing about the "
             "data's shape. Pick a code smaller than the input, as small as the cloud allows.")
    return k


def _check_structure(cls):
    torch.manual_seed(7)
    model = _call("LinearAutoencoder(5, 2)", cls, 5, 2)
    if not isinstance(model, torch.nn.Module):
        fail("LinearAutoencoder should be an nn.Module subclass.")
    g = torch.Generator().manual_seed(3)
    x, y = torch.randn(8, 5, generator=g), torch.randn(8, 5, generator=g)
    with torch.no_grad():
        code = _call("model.encode(x)", model.encode, x)
        expect_true(tuple(code.shape) == (8, 2),
                    f"LinearAutoencoder(5, 2).encode on 8 points returned shape "
                    f"{tuple(code.shape)}; the codes should have shape (8, 2): one code of "
                    "code_size numbers per point.")
        out = _call("model(x)", model, x)
        expect_true(tuple(out.shape) == (8, 5),
                    f"LinearAutoencoder(5, 2) on 8 points returned shape {tuple(out.shape)}; "
                    "the reconstruction should have the input's shape (8, 5).")
        decoded = _call("model.decode(code)", model.decode, code)
        expect_true(torch.allclose(decoded, out, atol=1e-5),
                    "model(x) is not model.decode(model.encode(x)): forward should encode, "
                    "then decode.")
        middle = model((x + y) / 2)
        if not torch.allclose(middle, (model(x) + model(y)) / 2, atol=1e-4):
            fail("The model is not linear: the reconstruction of the midpoint of two points "
                 "is not the midpoint of their reconstructions. A linear autoencoder has no "
                 "activation function anywhere, not in the encoder, not in the decoder and "
                 "not on the output.")


def _pca(X, k):
    mean = X.mean(dim=0)
    V = torch.linalg.svd(X - mean, full_matrices=False)[2][:k].T
    return mean, V


def check(learner, ctx):
    cls = require_function(learner, "LinearAutoencoder")
    train = require_function(learner, "train_autoencoder")
    torch.set_grad_enabled(True)
    _check_structure(cls)
    k = _check_code_size(learner)

    g = torch.Generator().manual_seed(ctx.seed + 1000)
    X, X_test = make_plane_cloud(N_TRAIN, g), make_plane_cloud(N_TEST, g)
    ctx.reseed()
    model = cls(3, k)
    with ctx.report.capture() as events:
        losses = train(model, X, EPOCHS, BATCH, LR, torch.Generator().manual_seed(ctx.seed),
                       ctx.device)
    model.cpu()
    steps = EPOCHS * math.ceil(N_TRAIN / BATCH)
    if not isinstance(losses, (list, tuple)) or len(losses) != steps:
        size = len(losses) if isinstance(losses, (list, tuple)) else type(losses).__name__
        fail(f"train_autoencoder should return a list with one loss per step ({steps} steps "
             f"for {EPOCHS} epochs of batch {BATCH}); it returned {size}.")
    try:
        expect_decreasing("losses", losses, window=20)
    except CheckFailed as exc:
        fail(f"{exc.message} Is the loss the MSE between the reconstruction and the input "
             "batch itself, with optimizer.zero_grad(), backward() and step() at every step?")
    metrics = [e for e in events if e["kind"] == "metric" and "loss" in e["values"]]
    expect_true(len(metrics) >= steps,
                f"report.metric sent `loss` {len(metrics)} time(s) during {steps} steps: send "
                "it at every step, report.metric(step=step, loss=loss.item()).")

    mean, V = _pca(X, 2)
    with torch.no_grad():
        ae_mse = float(((model(X_test) - X_test) ** 2).mean())
        pca_mse = float((((X_test - mean) @ V @ V.T + mean - X_test) ** 2).mean())
        origin = model.decode(torch.zeros(1, k)).abs().max().item()
        origin_code = model.encode(torch.zeros(1, 3)).abs().max().item()
    ratio = ae_mse / pca_mse
    if k == 1:
        fail(f"With CODE_SIZE = 1 the held-out reconstruction error is {ratio:.0f} times "
             "PCA's with two components: one number per point can only place it on a line, "
             "and this cloud is spread over a plane. Look at how many directions the data "
             "really varies in.")
    if not math.isfinite(ratio) or ratio > MAX_RATIO:
        if origin < 1e-6 and origin_code < 1e-6:
            fail(f"The held-out reconstruction error is {ratio:.3g} times PCA's. Your model "
                 "maps the origin to the origin, so every reconstruction lies on a plane "
                 "through (0, 0, 0), but this cloud's plane sits far from it. PCA centres the "
                 "data first; a linear autoencoder needs biases (or centred data) to do the "
                 "same.")
        fail(f"The held-out reconstruction error is {ratio:.3g} times PCA's with two "
             f"components; the check allows {MAX_RATIO:g}. Train with Adam on the MSE between "
             "the reconstruction and the input, over every minibatch of every epoch.")
    Q = torch.linalg.qr(_decoder_matrix(model, k))[0]
    sine = torch.linalg.matrix_norm(Q @ Q.T - (V @ V.T).double(), ord=2).item()
    expect_true(sine <= MAX_SINE,
                f"The decoder's output directions are tilted away from PCA's plane (sine of "
                f"the largest angle {sine:.3g}; the check allows {MAX_SINE:g}).")
    if ctx.report.enabled():
        with torch.no_grad():
            codes = model.encode(X_test)
        ctx.report.plot("check: codes", codes[:, 1], codes[:, 0], kind="scatter",
                        title="codes of the held-out points", xlabel="code 0", ylabel="code 1")


def _decoder_matrix(model, k):
    """The decoder's linear part, measured: decode(e_i) - decode(0) for each code axis."""
    with torch.no_grad():
        zero = model.decode(torch.zeros(1, k))
        return (model.decode(torch.eye(k)) - zero).T.double()
