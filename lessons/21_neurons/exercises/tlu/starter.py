"""Threshold logic units: logic gates from weighted sums, and XOR from two layers of them.

A TLU computes a weighted sum of its inputs plus a bias and fires (outputs 1) when that sum
is >= 0:   output = step(w . x + b).

Run this file to print the truth tables and draw the regions where each net outputs 1;
Check to test everything.
"""

import torch

from homl_tui import report


def step(z):
    """Heaviside step, element-wise: 1.0 where z >= 0, else 0.0 (a float tensor shaped like z)."""
    # TODO 1: compare z with 0 (note: >=, so step(0) is 1) and turn the booleans into floats.
    raise NotImplementedError("step: fill in the TODO")


def tlu(X, W, b):
    """A layer of threshold logic units: step(X @ W + b).

    X: (m, n) inputs. W: (n,) for one unit, giving (m,) outputs, or (n, k) for k units side
    by side, giving (m, k) outputs. b: a number, or (k,) biases.
    """
    # TODO 2: one line: the weighted sums plus the bias, through step.
    raise NotImplementedError("tlu: fill in the TODO")


# TODO 3: choose weights (1-D tensors) and a bias (a number) for each gate, so that
#         tlu(X, W, B) reproduces its truth table on the inputs 0 and 1.
#         Hint: the unit fires when w . x >= -b, so -b acts as a threshold.
AND_W, AND_B = None, None
OR_W, OR_B = None, None
NOT_W, NOT_B = None, None  # NOT has a single input, so NOT_W has one entry

# TODO 4: XOR cannot be done by one unit. Build it from two layers:
#         hidden = tlu(X, HIDDEN_W, HIDDEN_B)     HIDDEN_W: (2, k), one column per hidden unit
#         output = tlu(hidden, OUT_W, OUT_B)      OUT_W: (k,), OUT_B: a number
#         Two hidden units are enough.
HIDDEN_W = None
HIDDEN_B = None
OUT_W = None
OUT_B = None


def xor_net(X):
    """Two layers of TLUs computing XOR of the two columns of X: (m, 2) -> (m,)."""
    # TODO 5: the hidden layer, then the output unit, using tlu and the four constants.
    raise NotImplementedError("xor_net: fill in the TODO")


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
