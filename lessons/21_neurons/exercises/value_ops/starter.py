"""A scalar autodiff engine, part 1: each operation records how to send gradients back.

__add__ is written for you as the pattern to follow; write the other primitives the same way.
Every _backward ADDS to the inputs' grad (+=): a Value used twice gets both contributions.

Run this file to differentiate one neuron with your engine (calling each node's _backward
by hand, from the output back) and with torch; Check to test every operation on its own,
then on random expressions.
"""

import math  # math.exp, math.log and math.tanh work on Python floats

import torch

from homl_tui import report


class Value:
    """A number that remembers how it was computed, so that gradients can flow back to it.

    data: the number. grad: d(final output)/d(this value), filled in by the backward pass.
    _prev: the Values this one was computed from. _backward: a function that takes
    self.grad (already complete) and ADDS each input's share to that input's .grad.
    """

    def __init__(self, data, _children=(), _op=""):
        self.data = float(data)
        self.grad = 0.0
        self._prev = tuple(_children)
        self._op = _op
        self._backward = lambda: None  # leaves have nothing to pass back

    def __repr__(self):
        return f"Value(data={self.data:.4g}, grad={self.grad:.4g})"

    # ---- The primitive operations. __add__ is the worked example. ----

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad  # d(a + b)/da = 1
            other.grad += out.grad  # d(a + b)/db = 1

        out._backward = _backward
        return out

    def __mul__(self, other):
        # TODO 1: like __add__: wrap `other`, build out = Value(product, (self, other), "*"),
        #         and a _backward that adds to each input's grad its local derivative
        #         (d(ab)/da = b, d(ab)/db = a) TIMES out.grad. Attach it and return out.
        raise NotImplementedError("__mul__: fill in the TODO")

    def __pow__(self, n):
        assert isinstance(n, (int, float)), "only constant exponents"
        # TODO 2: out = self ** n (a Value with one child, self); local derivative
        #         n * x ** (n - 1).
        raise NotImplementedError("__pow__: fill in the TODO")

    def exp(self):
        # TODO 3: math.exp; the local derivative of exp is exp itself (out.data).
        raise NotImplementedError("exp: fill in the TODO")

    def log(self):
        # TODO 4: math.log; local derivative 1 / x.
        raise NotImplementedError("log: fill in the TODO")

    def tanh(self):
        # TODO 5: math.tanh; local derivative 1 - tanh(x) ** 2.
        raise NotImplementedError("tanh: fill in the TODO")

    def relu(self):
        # TODO 6: max(x, 0); local derivative 1 if x > 0 else 0.
        raise NotImplementedError("relu: fill in the TODO")

    # ---- Done for you: everything else is built from the primitives. ----

    def __neg__(self):
        return self * -1.0

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return (-self) + other

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        return self * other ** -1

    def __rtruediv__(self, other):
        return self ** -1 * other


if __name__ == "__main__":
    # One neuron with two inputs: o = tanh(x1*w1 + x2*w2 + b), one operation per line.
    names = ["x1", "x2", "w1", "w2", "b"]
    numbers = [1.5, -0.5, 0.8, -1.2, -0.9]
    x1, x2, w1, w2, b = (Value(v) for v in numbers)
    p1 = x1 * w1
    p2 = x2 * w2
    s = p1 + p2
    n = s + b
    o = n.tanh()

    # Backward by hand: d o / d o = 1, then every node passes its (complete) grad to its
    # inputs, from the output back towards the inputs. The next exercise automates this.
    o.grad = 1.0
    for node in (o, n, s, p2, p1):
        node._backward()
    ours = [v.grad for v in (x1, x2, w1, w2, b)]

    t = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in numbers]
    (t[0] * t[2] + t[1] * t[3] + t[4]).tanh().backward()
    theirs = [v.grad.item() for v in t]

    print(f"output {o.data:.6f}")
    for name, a, c in zip(names, ours, theirs, strict=True):
        print(f"d o / d {name:2}: ours {a:+.6f}   torch {c:+.6f}")
    report.plot("gradients", ours, names, kind="bar", title="d output / d input, by our engine")
