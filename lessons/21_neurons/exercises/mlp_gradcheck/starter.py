"""A two-layer MLP in raw tensors, and gradient checking: autograd against finite differences.

Run this file to compare autograd's gradients of an MLP loss with your numerical ones (in
float64); Check to test the three functions and the whole gradient check.
"""

import torch

from homl_tui import report
from homl_tui.runtime.device import default_device


def mlp_forward(X, W1, b1, W2, b2):
    """Logits of a two-layer MLP with a ReLU hidden layer.

    X: (n, d), W1: (d, h), b1: (h,), W2: (h, k), b2: (k,)  ->  (n, k)
    """
    # TODO 1: the hidden layer H = ReLU(X @ W1 + b1), shape (n, h);
    #         then the output layer H @ W2 + b2, shape (n, k), WITHOUT an activation.
    raise NotImplementedError("mlp_forward: fill in the TODO")

def numerical_grad(f, x, eps=1e-5):
    """Central finite differences: entry i is (f(x + eps e_i) - f(x - eps e_i)) / (2 eps).

    f maps the tensor x to a scalar. x is nudged in place, one entry at a time, and each
    entry is put back, so x is unchanged when the function returns.
    """
    # TODO 2: grad = torch.zeros_like(x). Work on flat views that share memory:
    #         flat_x = x.detach().view(-1), flat_grad = grad.view(-1).
    # TODO 3: inside `with torch.no_grad():`, for every index i:
    #           remember old = flat_x[i].item()
    #           set flat_x[i] = old + eps and evaluate float(f(x)); then old - eps, again
    #           put flat_x[i] = old back (!)
    #           flat_grad[i] = (f_plus - f_minus) / (2 * eps)
    # TODO 4: return grad
    raise NotImplementedError("numerical_grad: fill in the TODOs")

def relative_error(a, b):
    """||a - b|| / (||a|| + ||b||), a float; 0.0 when both are zero."""
    # TODO 5: the norm of the difference over the sum of the norms, as a Python float
    #         (.item()). Return 0.0 when both norms are 0.
    raise NotImplementedError("relative_error: fill in the TODO")

if __name__ == "__main__":
    device = default_device()
    if device == "mps":  # Apple GPUs have no float64, and gradient checks need it
        device = "cpu"
    g = torch.Generator().manual_seed(0)
    n, d, h, k = 16, 3, 8, 2
    X = torch.randn(n, d, generator=g, dtype=torch.float64).to(device)
    Y = torch.randn(n, k, generator=g, dtype=torch.float64).to(device)
    shapes = {"W1": (d, h), "b1": (h,), "W2": (h, k), "b2": (k,)}
    params = {name: (0.5 * torch.randn(shape, generator=g, dtype=torch.float64)).to(device)
              .requires_grad_() for name, shape in shapes.items()}

    def loss_fn(W1, b1, W2, b2):
        return ((mlp_forward(X, W1, b1, W2, b2) - Y) ** 2).mean()

    def loss_of(name):
        """The loss as a function of one parameter, the others held fixed."""
        return lambda value: loss_fn(**{**params, name: value})

    loss = loss_fn(**params)
    loss.backward()  # autograd fills p.grad for the four parameters
    print(f"loss {loss.item():.6f}")
    numeric = {}
    for name, p in params.items():
        numeric[name] = numerical_grad(loss_of(name), p, eps=1e-6)
        print(f"{name:2} {tuple(p.shape)!s:7}  relative error autograd vs numerical: "
              f"{relative_error(p.grad, numeric[name]):.2e}")

    analytic = params["W1"].grad.reshape(-1).cpu()
    ends = [analytic.min().item(), analytic.max().item()]
    report.plot("dL/dW1", numeric["W1"].reshape(-1).cpu(), analytic, kind="scatter",
                title="numerical (up) against autograd (across): the points sit on y = x",
                overlay={"y = x": (ends, ends)})
