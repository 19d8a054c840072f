import torch


def sgd_step(params, lr):
    with torch.no_grad():
        for p in params:
            p = p - lr * p.grad  # Mistake: makes a new tensor and rebinds the loop variable.
            p.grad = None
