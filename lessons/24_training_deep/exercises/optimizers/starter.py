"""Momentum, Nesterov and Adam written by hand, in the same form as torch.optim.

PyTorch's conventions (the check compares with torch.optim.SGD and torch.optim.Adam):

    SGD with momentum:   v <- momentum * v + g
                         p <- p - lr * v                          (classical)
                         p <- p - lr * (g + momentum * v)         (nesterov=True)

    Adam:                t <- t + 1
                         m <- beta1 * m + (1 - beta1) * g
                         s <- beta2 * s + (1 - beta2) * g**2
                         m_hat = m / (1 - beta1**t),   s_hat = s / (1 - beta2**t)
                         p <- p - lr * m_hat / (sqrt(s_hat) + eps)

Press Run to race plain SGD, momentum, Nesterov and Adam down the Rosenbrock valley: the loss
curves appear in the Metrics tab, the paths in the plot.
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
        # TODO 1: one velocity per parameter, zeros of the same shape (torch.zeros_like).
        raise NotImplementedError("Momentum.__init__: fill in the TODO")

    @torch.no_grad()
    def step(self):
        # TODO 2: for every parameter p (skip those whose p.grad is None) and its velocity v:
        #           v <- momentum * v + g                      IN PLACE, so it is kept
        #           p <- p - lr * v                             classical momentum
        #           p <- p - lr * (g + momentum * v)            when self.nesterov
        raise NotImplementedError("Momentum.step: fill in the TODO")


class Adam(Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params)
        self.lr, self.betas, self.eps = lr, betas, eps
        # TODO 3: a step counter t = 0, and two zero tensors per parameter: the first
        #         moment m and the second moment s.
        raise NotImplementedError("Adam.__init__: fill in the TODO")

    @torch.no_grad()
    def step(self):
        # TODO 4: count the step (t starts at 1 on the first call), then for every parameter:
        #           m <- beta1 * m + (1 - beta1) * g          (in place)
        #           s <- beta2 * s + (1 - beta2) * g * g      (in place)
        #           m_hat = m / (1 - beta1**t),  s_hat = s / (1 - beta2**t)
        #           p <- p - lr * m_hat / (sqrt(s_hat) + eps)
        raise NotImplementedError("Adam.step: fill in the TODO")


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
