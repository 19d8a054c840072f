"""One step of minibatch stochastic gradient descent, in place.

Run this file to watch three steps on a tiny problem; Check to test `sgd_step`.
"""

import torch


def sgd_step(params, lr):
    """Move every parameter a step of size lr against its gradient, then zero the gradient.

    params: a list of leaf tensors with requires_grad=True whose .grad was filled by
            loss.backward().
    lr:     the learning rate (step size).
    Return nothing: change the tensors in place.
    """
    # TODO 1: open a torch.no_grad() block (the update must not be tracked by autograd).
    # TODO 2: for each p, update it IN PLACE against its gradient: p -= lr * p.grad
    #         (`p = p - ...` would only rebind the loop variable).
    # TODO 3: zero p.grad (p.grad.zero_()), or the next backward() will add to it.
    raise NotImplementedError("sgd_step: fill in the TODOs")


if __name__ == "__main__":
    w = torch.tensor([1.0, -1.0], requires_grad=True)
    for step in range(3):
        loss = ((w - torch.tensor([3.0, 2.0])) ** 2).sum() / 2
        loss.backward()
        print(f"step {step}: loss {loss.item():.3f}, grad {w.grad.tolist()}")
        sgd_step([w], lr=0.5)
        print(f"        w is now {w.tolist()}, grad after the step {w.grad.tolist()}")
