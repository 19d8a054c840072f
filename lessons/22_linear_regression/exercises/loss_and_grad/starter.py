"""The squared loss and its gradient, by hand and by autograd.

Run this file to compare your hand-written gradient with autograd's; Check to test both.
"""

import torch


def squared_loss(y_hat, y):
    """Mean over the examples of (y_hat - y)**2 / 2, as a 0-d tensor.

    y_hat and y hold one number per example, but one of them may be a column of
    shape (n, 1) and the other a vector of shape (n,).
    """
    # TODO 1: reshape y to y_hat's shape (otherwise (n, 1) - (n,) broadcasts to (n, n)!).
    # TODO 2: return the MEAN over examples of (y_hat - y) ** 2 / 2.
    raise NotImplementedError("squared_loss: fill in the TODOs")


def linreg_grad(X, y, w, b):
    """Gradient of squared_loss(X @ w + b, y) with respect to w and b, written by hand.

    X: (n, d), y: (n,), w: (d,), b: a 0-d tensor. Return (grad_w, grad_b) with the
    shapes of w and b. Use the formula from the lesson, not autograd.
    """
    # TODO 3: the residual r = X @ w + b - y, shape (n,).
    # TODO 4: grad_w = X^T r / n  and  grad_b = the mean of r.
    raise NotImplementedError("linreg_grad: fill in the TODOs")


if __name__ == "__main__":
    g = torch.Generator().manual_seed(0)
    X = torch.randn(8, 3, generator=g)
    y = torch.randn(8, generator=g)
    w = torch.randn(3, generator=g, requires_grad=True)
    b = torch.zeros((), requires_grad=True)

    loss = squared_loss(X @ w + b, y)
    loss.backward()  # autograd fills w.grad and b.grad
    with torch.no_grad():
        grad_w, grad_b = linreg_grad(X, y, w, b)
    print("loss        ", loss.item())
    print("by hand   w:", grad_w.tolist(), " b:", grad_b.item())
    print("autograd  w:", w.grad.tolist(), " b:", b.grad.item())
