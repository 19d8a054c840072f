import torch


def sgd_step(params, lr):
    with torch.no_grad():
        for p in params:
            p -= lr * p.grad
            # Mistake: the gradient is never zeroed, so the next backward() adds to it.
