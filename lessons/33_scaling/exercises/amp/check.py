"""Check amp_settings and amp_train_step.

1. amp_settings: float16 with a scaler on "cuda"; bfloat16 without one on "cpu" and "mps".
2. One step of a small network on ctx.device with an ENABLED GradScaler (init_scale 1024, on
   the CPU too) and SGD lr 0.1: the weights stay float32, every nn.Linear runs in the low
   precision dtype, the returned loss is a float32 tensor, and the update equals the check's own
   autocast step (unscaled gradients; tolerance rtol 1e-3, atol 1e-5).
3. A batch containing inf: the step must be skipped and the scale must shrink (scaler.step and
   scaler.update).
4. Quality: the digits (70/30 split, random_state=0), an MLP 64-128-10, SGD lr 0.1 momentum
   0.9, 10 epochs of batch 64, once with the learner's step and once in float32.
   Reference runs on the CPU, seeds 0-4, test accuracy (mixed / float32): 0.970 / 0.970,
   0.974 / 0.974, 0.967 / 0.967, 0.976 / 0.976, 0.959 / 0.961. We require the mixed run to
   reach 0.93 and to be at most 2 points below float32. 1 to 4 s on this machine.
"""

import copy

import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn

from homl_tui.checks import expect_at_least, expect_true, fail, require_function

LR, INIT_SCALE = 0.1, 1024.0


def _check_settings(settings):
    for device_type, want in (("cuda", (torch.float16, True)), ("cpu", (torch.bfloat16, False)),
                              ("mps", (torch.bfloat16, False))):
        got = settings(device_type)
        expect_true(isinstance(got, tuple) and len(got) == 2,
                    f"amp_settings({device_type!r}) should return a pair (dtype, use_scaler).")
        expect_true(got[0] == want[0],
                    f"amp_settings({device_type!r}) gives dtype {got[0]}, which is not right. "
                    "float16 is the CUDA choice; elsewhere bfloat16 is the one autocast supports "
                    "well.")
        expect_true(bool(got[1]) == want[1],
                    f"amp_settings({device_type!r}) says use_scaler={got[1]}, which is not "
                    "right: a scaler is needed only where the dtype's exponent range is small.")


def _net(g):
    net = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 4))
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.4)
    return net


def _flat(model):
    return torch.cat([p.detach().float().reshape(-1).cpu() for p in model.parameters()])


def _check_step(step_fn, device, g):
    device_type = torch.device(device).type
    dtype = torch.float16 if device_type == "cuda" else torch.bfloat16
    net = _net(g)
    X = torch.randn(32, 6, generator=g).to(device)
    y = torch.randint(0, 4, (32,), generator=g).to(device)
    model, ref = copy.deepcopy(net).to(device), copy.deepcopy(net).to(device)
    seen = []
    for m in model.modules():
        if isinstance(m, nn.Linear):
            m.register_forward_hook(lambda _m, _i, out: seen.append(out.dtype))
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    scaler = torch.amp.GradScaler(device_type, init_scale=INIT_SCALE)
    before = _flat(model)
    loss = step_fn(model, optimizer, scaler, X, y, device_type, dtype)

    where = f"After one amp_train_step on {device_type} with dtype {dtype}"
    kinds = {p.dtype for p in model.parameters()}
    if kinds != {torch.float32}:
        fail(f"{where}, the model's weights are {', '.join(sorted(map(str, kinds)))}. Keep the "
             "weights in float32 (the 'master' copy that small updates can change) and let "
             "autocast cast them for each operation; never convert the model itself.")
    expect_true(seen, f"{where}, the model's layers never ran: call model(X) in the step.")
    if any(d != dtype for d in seen):
        fail(f"{where}, the linear layers produced {sorted(set(map(str, seen)))} outputs: the "
             "forward pass ran in float32. Put the forward pass (model(X)), not just the loss, "
             "inside the torch.autocast block.")
    expect_true(isinstance(loss, torch.Tensor),
                f"{where}, the return value is a {type(loss).__name__}: return the loss tensor, "
                "detached (loss.detach()).")
    expect_true(loss.dtype == torch.float32,
                f"{where}, the returned loss is {loss.dtype}: compute it with F.cross_entropy "
                "inside autocast, which runs it in float32, and return that tensor.")

    with torch.autocast(device_type=device_type, dtype=dtype):
        ref_loss = F.cross_entropy(ref(X), y)
    ref_loss.backward()
    with torch.no_grad():
        for p in ref.parameters():
            p -= LR * p.grad
    got, want = _flat(model), _flat(ref)
    moved, wanted = (got - before).norm().item(), (want - before).norm().item()
    if moved == 0:
        fail(f"{where}, the weights did not change: call scaler.step(optimizer) after "
             "backward.")
    if moved > 100 * wanted:
        fail(f"{where}, the update is about {moved / wanted:.0f} times too large: the gradients "
             "still carry the loss scale. Step with scaler.step(optimizer), which unscales them "
             "first, instead of optimizer.step().")
    if not torch.allclose(got, want, rtol=1e-3, atol=1e-5):
        fail(f"{where}, the weights differ from one autocast SGD step on the cross-entropy. "
             "Zero the gradients, run forward and loss under autocast, backward on "
             "scaler.scale(loss), then scaler.step and scaler.update.")
    expect_true(abs(loss.item() - ref_loss.item()) <= 1e-3 * abs(ref_loss.item()) + 1e-5,
                f"{where}, the returned loss is not the cross-entropy of this batch.")

    bad = X.clone()
    bad[0, 0] = float("inf")
    before = _flat(model)
    step_fn(model, optimizer, scaler, bad, y, device_type, dtype)
    where = "After a step on a batch whose loss is not finite"
    if not torch.isfinite(_flat(model)).all() or not torch.equal(_flat(model), before):
        fail(f"{where}, the weights changed: let scaler.step(optimizer) make the step, since "
             "it skips steps whose gradients contain inf or NaN.")
    if scaler.get_scale() >= INIT_SCALE:
        fail(f"{where}, the loss scale did not shrink: call scaler.update() after "
             "scaler.step(optimizer) at every step, so the scale adapts.")


def _digits(device):
    X, y = load_digits(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X / 16.0, y, test_size=0.3, random_state=0,
                                              stratify=y)
    def t(a, kind):
        return torch.tensor(a, dtype=kind, device=device)
    return t(X_tr, torch.float32), t(y_tr, torch.long), t(X_te, torch.float32), t(y_te, torch.long)


def _fit(step_fn, device, seed, epochs=10, batch_size=64):
    device_type = torch.device(device).type
    dtype = torch.float16 if device_type == "cuda" else torch.bfloat16
    X_tr, y_tr, X_te, y_te = _digits(device)
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10)).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scaler = torch.amp.GradScaler(device_type, enabled=device_type == "cuda")
    g = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        order = torch.randperm(len(X_tr), generator=g).to(device)
        for start in range(0, len(X_tr), batch_size):
            idx = order[start:start + batch_size]
            if step_fn is None:
                optimizer.zero_grad()
                F.cross_entropy(model(X_tr[idx]), y_tr[idx]).backward()
                optimizer.step()
            else:
                step_fn(model, optimizer, scaler, X_tr[idx], y_tr[idx], device_type, dtype)
    with torch.no_grad():
        return (model(X_te).argmax(dim=1) == y_te).float().mean().item()


def check(learner, ctx):
    settings = require_function(learner, "amp_settings")
    step_fn = require_function(learner, "amp_train_step")
    torch.set_grad_enabled(True)
    _check_settings(settings)
    ctx.reseed()
    g = torch.Generator().manual_seed(ctx.seed + 5)
    _check_step(step_fn, ctx.device, g)
    ctx.reseed()
    mixed = _fit(step_fn, ctx.device, ctx.seed)
    full = _fit(None, ctx.device, ctx.seed)
    expect_at_least("Test accuracy with mixed precision", mixed, 0.93, fmt=".1%")
    expect_at_least("Test accuracy with mixed precision", mixed, full - 0.02,
                    "That is more than 2 points below the same training in float32.",
                    fmt=".1%")
