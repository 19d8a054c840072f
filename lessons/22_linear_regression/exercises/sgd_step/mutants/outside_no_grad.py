def sgd_step(params, lr):
    for p in params:
        p -= lr * p.grad  # Mistake: an in-place change of a leaf outside torch.no_grad().
        p.grad.zero_()
