# Mistake: sums over the wrong axis of the (n, m, d) difference.


def pairwise_sq_dists(X, Y):
    diff = X[:, None, :] - Y[None, :, :]
    return (diff ** 2).sum(dim=1)
