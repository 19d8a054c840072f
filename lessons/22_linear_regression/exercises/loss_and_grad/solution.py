"""The squared loss and its gradient, by hand and by autograd."""

import torch


def squared_loss(y_hat, y):
    """Mean over the examples of (y_hat - y)**2 / 2, as a 0-d tensor.

    ``y`` is reshaped to ``y_hat``'s shape first, so an (n, 1) column and an (n,)
    vector are compared element by element instead of broadcasting to (n, n).
    """
    y = y.reshape(y_hat.shape)
    return ((y_hat - y) ** 2 / 2).mean()


def linreg_grad(X, y, w, b):
    """Gradient of squared_loss(X @ w + b, y) with respect to w and b, by hand."""
    residual = X @ w + b - y
    grad_w = X.T @ residual / X.shape[0]
    grad_b = residual.mean()
    return grad_w, grad_b


if __name__ == "__main__":
    g = torch.Generator().manual_seed(0)
    X = torch.randn(8, 3, generator=g)
    y = torch.randn(8, generator=g)
    w = torch.randn(3, generator=g, requires_grad=True)
    b = torch.zeros((), requires_grad=True)

    loss = squared_loss(X @ w + b, y)
    loss.backward()
    with torch.no_grad():
        grad_w, grad_b = linreg_grad(X, y, w, b)
    print("loss        ", loss.item())
    print("by hand   w:", grad_w.tolist(), " b:", grad_b.item())
    print("autograd  w:", w.grad.tolist(), " b:", b.grad.item())
