"""Check Momentum and Adam against torch.optim.SGD(momentum, nesterov) and torch.optim.Adam.

Both optimizers start from the same parameters of a small tanh network and take 12 steps on
the same fixed data; the parameters must agree after every step (rtol 1e-4, atol 1e-6: the
reference matches torch.optim to about 1e-7). Learning rates are large enough that every
term of the update shows. When they disagree, the check replays common mistakes (no saved
velocity, nesterov ignored, a damped velocity, no bias correction, eps inside the square root,
a step counter starting at 0) to say which one it looks like.
"""

import torch

from homl_tui.checks import fail, require_function

STEPS = 12
RTOL, ATOL = 1e-4, 1e-6


def _problem(seed):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(32, 4, generator=g)
    y = torch.sin(X.sum(dim=1, keepdim=True))
    init = [torch.randn(4, 6, generator=g) * 0.5, torch.zeros(6),
            torch.randn(6, 1, generator=g) * 0.5, torch.zeros(1)]
    return X, y, init


def _loss(params, X, y):
    W1, b1, W2, b2 = params
    return ((torch.tanh(X @ W1 + b1) @ W2 + b2 - y) ** 2).mean()


def _trajectory(make, problem, name):
    X, y, init = problem
    params = [t.clone().requires_grad_() for t in init]
    optimizer = make(params)
    path = []
    for step in range(1, STEPS + 1):
        optimizer.zero_grad()
        _loss(params, X, y).backward()
        try:
            optimizer.step()
        except RuntimeError as exc:
            if "leaf Variable" in str(exc) or "in-place" in str(exc):
                fail(f"{name}.step() raised PyTorch's error about changing a leaf that requires "
                     "grad: do the update inside torch.no_grad() (decorate step with "
                     "@torch.no_grad()).")
            raise
        for p in params:
            if not p.is_leaf or not p.requires_grad:
                fail(f"After {name}.step() a parameter is no longer a leaf tensor that "
                     "requires grad: update it in place (p.sub_(...) or p -= ...), under "
                     "torch.no_grad().")
        if step == 1 and all(torch.equal(p.detach(), t) for p, t in zip(params, init, strict=True)):
            fail(f"{name}.step() did not change the parameters. `p = p - ...` only rebinds a "
                 "local name; change each parameter in place.")
        path.append([p.detach().clone() for p in params])
    return path


def _first_gap(path, want):
    for step, (got, exp) in enumerate(zip(path, want, strict=True), start=1):
        for a, b in zip(got, exp, strict=True):
            if not torch.isfinite(a).all() or not torch.allclose(a, b, rtol=RTOL, atol=ATOL):
                return step
    return None


class _Sim:
    """The check's own optimizers, with switches for the usual mistakes."""

    def __init__(self, params, kind, **opts):
        self.params, self.lr, self.kind, self.opts = params, opts["lr"], kind, opts
        self.state = [[torch.zeros_like(p), torch.zeros_like(p)] for p in params]
        self.t = 0

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self):
        o = self.opts
        self.t += 1
        for p, (a, b) in zip(self.params, self.state, strict=True):
            g = p.grad
            if self.kind == "momentum":
                mu = o["momentum"]
                v = mu * a + ((1 - mu) * g if o.get("damped") else g)
                if not o.get("forget"):
                    a.copy_(v)
                nesterov = o["nesterov"] and not o.get("ignore_nesterov")
                p -= self.lr * (g + mu * v if nesterov else v)
            else:
                b1, b2 = o["betas"]
                a.mul_(b1).add_((1 - b1) * g)
                b.mul_(b2).add_((1 - b2) * g * g)
                t = self.t - 1 if o.get("t_from_zero") else self.t
                with torch.no_grad():
                    c1 = 1.0 if o.get("no_bias") else 1 - b1 ** t
                    c2 = 1.0 if o.get("no_bias") else 1 - b2 ** t
                    m_hat = a / c1 if c1 else a * float("inf")
                    s_hat = b / c2 if c2 else b * float("inf")
                    if o.get("eps_inside"):
                        denom = torch.sqrt(s_hat + o["eps"])
                    else:
                        denom = s_hat.sqrt() + o["eps"]
                p -= self.lr * m_hat / denom


def _compare(name, config, make_learner, make_torch, sim_kind, sim_opts, mistakes, problem):
    want = _trajectory(make_torch, problem, "torch.optim")
    got = _trajectory(make_learner, problem, name)
    step = _first_gap(got, want)
    if step is None:
        return
    where = f"{name}({config})"
    if not all(torch.isfinite(t).all() for t in got[step - 1]):
        for flag, message in mistakes:
            if flag == "t_from_zero":
                fail(f"With {where} the parameters became NaN or infinite at step {step}. "
                     f"{message}")
    for flag, message in mistakes:
        opts = dict(sim_opts, **{flag: True})
        sim = _trajectory(lambda ps, o=opts: _Sim(ps, sim_kind, **o),
                          problem, "the check's optimizer")
        if _first_gap(got, sim) is None:
            fail(f"With {where} the parameters drift away from torch.optim's from step "
                 f"{step} on. {message}")
    fail(f"With {where} the parameters differ from torch.optim's from step {step} on "
         f"(12 steps are compared). Go through the update rule term by term.")


def check(learner, ctx):
    Momentum = require_function(learner, "Momentum")
    Adam = require_function(learner, "Adam")
    torch.set_grad_enabled(True)
    ctx.reseed()
    problem = _problem(ctx.seed + 11)

    momentum_mistakes = [
        ("forget", "It looks like plain SGD: the velocity is not carried from one step to "
                   "the next. Update the stored velocity tensor in place (v.mul_(...).add_(...))"
                   " instead of giving a local name a new tensor."),
        ("ignore_nesterov", "With nesterov=True the update should look ahead along the "
                            "velocity; yours is the classical momentum update."),
        ("damped", "Your velocity is scaled down by (1 - momentum): it is an average of the "
                   "gradients, not the running sum PyTorch keeps (no dampening)."),
    ]
    for lr, mu, nesterov in ((0.05, 0.9, False), (0.03, 0.6, True), (0.1, 0.0, False)):
        config = f"lr={lr}, momentum={mu}, nesterov={nesterov}"
        _compare("Momentum", config,
                 lambda ps, a=(lr, mu, nesterov): Momentum(ps, lr=a[0], momentum=a[1],
                                                           nesterov=a[2]),
                 lambda ps, a=(lr, mu, nesterov): torch.optim.SGD(ps, lr=a[0], momentum=a[1],
                                                                  nesterov=a[2]),
                 "momentum", {"lr": lr, "momentum": mu, "nesterov": nesterov},
                 momentum_mistakes, problem)

    adam_mistakes = [
        ("t_from_zero", "The first step divides by 1 - beta**0 = 0: increase the step "
                        "counter BEFORE computing the bias corrections, so t starts at 1."),
        ("no_bias", "The bias correction is missing: m and s start at zero, so early on they "
                    "are too small; divide them by (1 - beta1**t) and (1 - beta2**t)."),
        ("eps_inside", "eps is inside the square root: Adam adds eps to sqrt(s_hat), after "
                       "taking the root."),
    ]
    for lr, betas, eps in ((0.01, (0.9, 0.999), 1e-8), (0.05, (0.8, 0.95), 0.01)):
        config = f"lr={lr}, betas={betas}, eps={eps}"
        _compare("Adam", config,
                 lambda ps, a=(lr, betas, eps): Adam(ps, lr=a[0], betas=a[1], eps=a[2]),
                 lambda ps, a=(lr, betas, eps): torch.optim.Adam(ps, lr=a[0], betas=a[1],
                                                                 eps=a[2]),
                 "adam", {"lr": lr, "betas": betas, "eps": eps}, adam_mistakes, problem)
