# Mistake: the new axes are swapped, so the result is (m, n): Y's points run down the rows.


def pairwise_sq_dists(X, Y):
    diff = X[None, :, :] - Y[:, None, :]
    return (diff ** 2).sum(dim=-1)
