"""Check MyBatchNorm1d against nn.BatchNorm1d: outputs, gradients and running statistics in
training mode over several batches (of different sizes), then evaluation mode.

Everything is deterministic and exact up to float32 rounding: we allow rtol 1e-4, atol 1e-5
(the reference differs from nn.BatchNorm1d by about 1e-6). The expected values always come
from nn.BatchNorm1d itself; the other formulas below only serve to name a mistake.
"""

import torch
from torch import nn

from homl_tui.checks import CheckFailed, expect_close, expect_true, fail

F = 5
RTOL, ATOL = 1e-4, 1e-5


def _close(a, b):
    return a.shape == b.shape and torch.allclose(a, b, rtol=RTOL, atol=ATOL)


def _normalise(x, mean, var, layer, eps=1e-5):
    return layer.weight.detach() * (x - mean) / torch.sqrt(var + eps) + layer.bias.detach()


def _batch(g, n):
    loc = torch.tensor([3.0, -1.0, 0.0, 10.0, 0.5])
    scale = torch.tensor([2.0, 0.5, 1.0, 4.0, 0.1])
    return loc + scale * torch.randn(n, F, generator=g)


def _buffers(layer):
    buffers = dict(layer.named_buffers())
    for name in ("running_mean", "running_var"):
        if name not in buffers:
            plain = isinstance(getattr(layer, name, None), torch.Tensor)
            fail(f"`{name}` is not a registered buffer of your layer"
                 + (" (it is a plain tensor attribute)" if plain else "")
                 + ": create it with self.register_buffer(name, tensor), so that "
                 "state_dict() saves it and .to(device) moves it.")
        expect_true(tuple(buffers[name].shape) == (F,),
                    f"`{name}` has shape {tuple(buffers[name].shape)}; it should hold one "
                    f"value per feature, shape ({F},).")
    return buffers["running_mean"], buffers["running_var"]


def _train_step(mine, ref, x, step):
    where = f"In training mode (batch {step}, {x.shape[0]} examples)"
    old_mean, old_var = (t.detach().clone() for t in _buffers(mine))
    xm = x.clone().requires_grad_()
    xr = x.clone().requires_grad_()
    out = mine(xm)
    want = ref(xr)
    if not isinstance(out, torch.Tensor) or out.shape != want.shape:
        fail(f"{where} the layer should return a tensor of the input's shape {tuple(x.shape)}.")
    if not _close(out.detach(), want.detach()):
        unbiased = _normalise(x, x.mean(0), x.var(0, unbiased=True), mine)
        if _close(out.detach(), unbiased):
            fail(f"{where} your output is normalised with the UNBIASED variance (dividing by "
                 "n - 1). Batch norm standardises each batch with its biased variance, "
                 "dividing by n, not n - 1.")
        if _close(out.detach(), _normalise(x, old_mean, old_var, mine)):
            fail(f"{where} your output is normalised with the running statistics. While "
                 "training, batch norm uses the statistics of the current batch.")
        expect_close(f"{where}, the output", out, want, rtol=RTOL, atol=ATOL)

    upstream = torch.randn(x.shape, generator=torch.Generator().manual_seed(step))
    (out * upstream).sum().backward()
    (want * upstream).sum().backward()
    for name, got, exp in (("gamma (weight)", mine.weight.grad, ref.weight.grad),
                           ("beta (bias)", mine.bias.grad, ref.bias.grad)):
        expect_true(got is not None, f"{where} {name} got no gradient: it should be an "
                    "nn.Parameter used in the output.")
        expect_close(f"{where}, the gradient of {name}", got, exp, rtol=RTOL, atol=ATOL)
    if not _close(xm.grad, xr.grad):
        fail(f"{where} the gradient with respect to the INPUT is wrong, although the output "
             "is right. The batch mean and variance depend on the input too, and the gradient "
             "must flow through them: compute them from x without detaching them (only the "
             "running averages are updated under torch.no_grad()).")

    run_mean, run_var = _buffers(mine)
    if run_mean.requires_grad or run_var.requires_grad:
        fail(f"{where} running_mean or running_var is recorded by autograd: update them in "
             "place inside torch.no_grad(), so they stay plain statistics.")
    mean, var = x.mean(0), x.var(0, unbiased=False)
    if not _close(run_mean, ref.running_mean):
        if _close(run_mean, 0.9 * mean + 0.1 * old_mean):
            fail(f"{where} running_mean moved 90 % of the way to the batch mean: the momentum "
                 "is used the Keras way round. In PyTorch, momentum is the weight of the NEW "
                 "batch: running = (1 - momentum) * running + momentum * batch.")
        if _close(run_mean, old_mean):
            fail(f"{where} running_mean did not change: update it at every training step.")
        expect_close(f"{where}, running_mean", run_mean, ref.running_mean, rtol=RTOL, atol=ATOL)
    if not _close(run_var, ref.running_var):
        if _close(run_var, 0.9 * old_var + 0.1 * var):
            fail(f"{where} running_var was updated with the biased batch variance. PyTorch "
                 f"feeds the unbiased estimate into the running average: multiply by "
                 "n / (n - 1) first.")
        expect_close(f"{where}, running_var", run_var, ref.running_var, rtol=RTOL, atol=ATOL)
    mine.zero_grad()
    ref.zero_grad()


def _eval_step(mine, ref, x):
    where = "In evaluation mode (after model.eval())"
    old_mean, old_var = (t.detach().clone() for t in _buffers(mine))
    with torch.no_grad():
        out = mine(x)
        want = ref(x)
    if _close(out, _normalise(x, x.mean(0), x.var(0, unbiased=False), mine)):
        fail(f"{where} your layer still normalises with the statistics of the batch it is "
             "given, so one example's output depends on the others. Use running_mean and "
             "running_var when self.training is False.")
    run_mean, run_var = _buffers(mine)
    if not (torch.equal(run_mean, old_mean) and torch.equal(run_var, old_var)):
        fail(f"{where} the running statistics changed: they must only be updated in "
             "training mode. Evaluating a model (or running it on the test set) must not "
             "change it.")
    expect_close(f"{where}, the output", out, want, rtol=RTOL, atol=ATOL)
    with torch.no_grad():
        single = mine(x[:1])
    expect_true(_close(single, out[:1]), f"{where} one example fed alone gets a different "
                "output than the same example inside a batch.")


def check(learner, ctx):
    cls = getattr(learner, "MyBatchNorm1d", None)
    if not (isinstance(cls, type) and issubclass(cls, nn.Module)):
        fail("Define the class MyBatchNorm1d (a subclass of nn.Module).")
    torch.set_grad_enabled(True)
    ctx.reseed()
    g = torch.Generator().manual_seed(ctx.seed + 3)
    mine = cls(F, eps=1e-5, momentum=0.1)
    try:  # a first call: a placeholder still raising shows up as not attempted
        mine(_batch(g, 4))
    except AttributeError as exc:
        if "running_" in str(exc):
            fail(f"Your layer has no running statistics yet ({exc}): register them in "
                 "__init__ with self.register_buffer(name, tensor).")
        raise
    mine = cls(F, eps=1e-5, momentum=0.1)
    ref = nn.BatchNorm1d(F, eps=1e-5, momentum=0.1)
    for name in ("weight", "bias"):
        expect_true(isinstance(getattr(mine, name, None), nn.Parameter),
                    f"MyBatchNorm1d should keep `{name}` as an nn.Parameter, as given.")
    _buffers(mine)
    expect_true(torch.equal(mine.running_mean, torch.zeros(F))
                and torch.equal(mine.running_var, torch.ones(F)),
                "A new layer should start with running_mean = 0 and running_var = 1.")
    with torch.no_grad():
        gamma, beta = 1 + 0.5 * torch.randn(F, generator=g), torch.randn(F, generator=g)
        for layer in (mine, ref):
            layer.weight.copy_(gamma)
            layer.bias.copy_(beta)
    mine.train()
    ref.train()
    for step, n in enumerate((8, 16, 3, 10, 32), start=1):
        _train_step(mine, ref, _batch(g, n), step)
    mine.eval()
    ref.eval()
    _eval_step(mine, ref, _batch(g, 6))

    if ctx.device != "cpu":
        try:
            moved = mine.to(ctx.device)
            with torch.no_grad():
                out = moved(_batch(g, 6).to(ctx.device)).cpu()
        except RuntimeError as exc:
            fail(f"Your layer failed on the {ctx.device} device ({exc}): keep the running "
                 "statistics in registered buffers so .to(device) moves them.")
        expect_true(out.shape == (6, F), f"On {ctx.device} the output has the wrong shape.")
    try:
        mine.train()
        ref.load_state_dict(mine.state_dict(), strict=False)
    except (RuntimeError, CheckFailed) as exc:
        fail(f"nn.BatchNorm1d could not load your layer's state_dict: {exc}")
