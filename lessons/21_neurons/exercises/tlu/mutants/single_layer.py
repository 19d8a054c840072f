"""Mutant: one output unit reading the inputs directly (it computes OR, never XOR).

Threshold logic units: logic gates from weighted sums, and XOR from two layers of them."""

import torch

from homl_tui import report


def step(z):
    """Heaviside step, element-wise: 1.0 where z >= 0, else 0.0 (a float tensor shaped like z)."""
    return (z >= 0).float()


def tlu(X, W, b):
    """A layer of threshold logic units: step(X @ W + b).

    X: (m, n) inputs. W: (n,) for one unit, giving (m,) outputs, or (n, k) for k units side
    by side, giving (m, k) outputs. b: a number, or (k,) biases.
    """
    return step(X @ W + b)


# One unit per gate. The bias is minus the threshold: the unit fires when w . x >= -b.
AND_W, AND_B = torch.tensor([1.0, 1.0]), -1.5
OR_W, OR_B = torch.tensor([1.0, 1.0]), -0.5
NOT_W, NOT_B = torch.tensor([-1.0]), 0.5

# XOR = OR and not AND: hidden unit 0 is an OR, hidden unit 1 is an AND (one column each),
# and the output fires when the OR fires but the AND does not.
HIDDEN_W = None
HIDDEN_B = None
OUT_W = torch.tensor([1.0, 1.0])
OUT_B = -0.5


def xor_net(X):
    """Two layers of TLUs computing XOR of the two columns of X: (m, 2) -> (m,)."""
    return tlu(X, OUT_W, OUT_B)


if __name__ == "__main__":
    X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    print(" x1 x2 | AND OR XOR")
    for row, a, o, x in zip(X.tolist(), tlu(X, AND_W, AND_B).tolist(),
                            tlu(X, OR_W, OR_B).tolist(), xor_net(X).tolist(), strict=True):
        print(f" {row[0]:2.0f} {row[1]:2.0f} | {a:3.0f} {o:2.0f} {x:3.0f}")
    print("NOT 0, NOT 1:", tlu(torch.tensor([[0.0], [1.0]]), NOT_W, NOT_B).tolist())

    # Where in the plane does each net output 1? Points scattered around the four corners.
    g = torch.Generator().manual_seed(0)
    corners = X.repeat(25, 1)
    points = corners + 0.15 * torch.randn(corners.shape, generator=g)

    def xor_regions(P):
        return xor_net(torch.as_tensor(P, dtype=torch.float32)).long()

    def and_regions(P):
        return tlu(torch.as_tensor(P, dtype=torch.float32), AND_W, AND_B).long()

    report.boundary("xor", xor_regions, points, xor_net(corners).long(),
                    title="XOR from two layers of TLUs")
    report.boundary("and", and_regions, points, tlu(corners, AND_W, AND_B).long(),
                    title="AND: one TLU, one straight line")
