"""One step of minibatch stochastic gradient descent, in place."""

import torch


def sgd_step(params, lr):
    """Move every parameter a step of size lr against its gradient, then zero the gradient.

    The update happens in place, inside torch.no_grad(): the parameters stay the same
    leaf tensors (autograd keeps tracking them) and the update itself is not recorded.
    """
    with torch.no_grad():
        for p in params:
            p -= lr * p.grad
            p.grad.zero_()


if __name__ == "__main__":
    w = torch.tensor([1.0, -1.0], requires_grad=True)
    for step in range(3):
        loss = ((w - torch.tensor([3.0, 2.0])) ** 2).sum() / 2
        loss.backward()
        print(f"step {step}: loss {loss.item():.3f}, grad {w.grad.tolist()}")
        sgd_step([w], lr=0.5)
        print(f"        w is now {w.tolist()}, grad after the step {w.grad.tolist()}")
