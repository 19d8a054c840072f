# Mistake: |x|^2 + |y|^2 - 2 x.y without clamping: rounding makes some entries negative.


def pairwise_sq_dists(X, Y):
    xx = (X * X).sum(dim=1, keepdim=True)
    yy = (Y * Y).sum(dim=1, keepdim=True)
    return xx + yy.T - 2 * X @ Y.T
