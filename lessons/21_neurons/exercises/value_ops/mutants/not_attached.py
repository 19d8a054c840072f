"""Mutant: exp defines its _backward but never attaches it to out.

A scalar autodiff engine, part 1: each operation records how to send gradients back."""

import math

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

    # ---- The primitive operations. ----

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad  # d(a + b)/da = 1
            other.grad += out.grad  # d(a + b)/db = 1

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad  # d(ab)/da = b
            other.grad += self.data * out.grad  # d(ab)/db = a

        out._backward = _backward
        return out

    def __pow__(self, n):
        assert isinstance(n, (int, float)), "only constant exponents"
        out = Value(self.data ** n, (self,), f"**{n}")

        def _backward():
            self.grad += n * self.data ** (n - 1) * out.grad

        out._backward = _backward
        return out

    def exp(self):
        out = Value(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad  # exp is its own derivative

        return out

    def log(self):
        out = Value(math.log(self.data), (self,), "log")

        def _backward():
            self.grad += out.grad / self.data

        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(self.data)
        out = Value(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - t * t) * out.grad

        out._backward = _backward
        return out

    def relu(self):
        out = Value(self.data if self.data > 0 else 0.0, (self,), "relu")

        def _backward():
            self.grad += (1.0 if self.data > 0 else 0.0) * out.grad

        out._backward = _backward
        return out

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
