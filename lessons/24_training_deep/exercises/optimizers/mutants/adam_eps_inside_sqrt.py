"""Mutant: puts eps inside the square root.

Momentum, Nesterov and Adam written by hand, in the same form as torch.optim.

PyTorch's conventions (the check compares with torch.optim.SGD and torch.optim.Adam):

    SGD with momentum:   v <- momentum * v + g
                         p <- p - lr * v                          (classical)
                         p <- p - lr * (g + momentum * v)         (nesterov=True)

    Adam:                t <- t + 1
                         m <- beta1 * m + (1 - beta1) * g
                         s <- beta2 * s + (1 - beta2) * g**2
                         m_hat = m / (1 - beta1**t),   s_hat = s / (1 - beta2**t)
                         p <- p - lr * m_hat / (sqrt(s_hat) + eps)
"""

import math

import torch

from homl_tui import report


class Optimizer:
    """Done for you: keeps the list of parameters and clears their gradients."""

    def __init__(self, params):
        self.params = list(params)

    def zero_grad(self):
        for p in self.params:
            p.grad = None


class Momentum(Optimizer):
    def __init__(self, params, lr, momentum=0.9, nesterov=False):
        super().__init__(params)
        self.lr, self.momentum, self.nesterov = lr, momentum, nesterov
        self.velocities = [torch.zeros_like(p) for p in self.params]

    @torch.no_grad()
    def step(self):
        for p, v in zip(self.params, self.velocities, strict=True):
            if p.grad is None:
                continue
            v.mul_(self.momentum).add_(p.grad)
            update = p.grad + self.momentum * v if self.nesterov else v
            p.sub_(self.lr * update)


class Adam(Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params)
        self.lr, self.betas, self.eps = lr, betas, eps
        self.t = 0
        self.m = [torch.zeros_like(p) for p in self.params]
        self.s = [torch.zeros_like(p) for p in self.params]

    @torch.no_grad()
    def step(self):
        self.t += 1
        beta1, beta2 = self.betas
        for p, m, s in zip(self.params, self.m, self.s, strict=True):
            if p.grad is None:
                continue
            g = p.grad
            m.mul_(beta1).add_((1 - beta1) * g)
            s.mul_(beta2).add_((1 - beta2) * g * g)
            m_hat = m / (1 - beta1 ** self.t)
            s_hat = s / (1 - beta2 ** self.t)
            p.sub_(self.lr * m_hat / (s_hat + self.eps).sqrt())


def rosenbrock(xy):
    """A long, curved, narrow valley: the minimum 0 is at (1, 1)."""
    x, y = xy[0], xy[1]
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


def race(make_optimizer, steps=1500):
    xy = torch.tensor([-1.5, 2.0], requires_grad=True)
    optimizer = make_optimizer([xy])
    path, losses = [], []
    for _ in range(steps):
        loss = rosenbrock(xy)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        path.append(xy.detach().clone())
    return torch.stack(path), losses


if __name__ == "__main__":
    contenders = {
        "plain SGD": lambda ps: Momentum(ps, lr=2e-4, momentum=0.0),
        "momentum": lambda ps: Momentum(ps, lr=2e-4, momentum=0.9),
        "Nesterov": lambda ps: Momentum(ps, lr=2e-4, momentum=0.9, nesterov=True),
        "Adam": lambda ps: Adam(ps, lr=0.05),
    }
    paths = {}
    for name, make in contenders.items():
        path, losses = race(make)
        paths[name] = path
        for step in range(0, len(losses), 10):
            report.metric(step=step, run=name, log10_loss=math.log10(losses[step] + 1e-12))
        print(f"{name:10s} loss after {len(losses)} steps: {losses[-1]:.3g}   "
              f"final point ({path[-1, 0]:.3f}, {path[-1, 1]:.3f})")
    first, *others = paths
    report.plot("paths", paths[first][:, 1], paths[first][:, 0], kind="line",
                overlay={n: (paths[n][:, 0], paths[n][:, 1]) for n in others},
                title=f"Rosenbrock valley from (-1.5, 2): {first} and the others (minimum at 1, 1)",
                xlabel="x", ylabel="y")
