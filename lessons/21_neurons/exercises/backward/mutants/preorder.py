"""Mutant: appends each node BEFORE visiting its inputs (pre-order), so inputs come after.

A scalar autodiff engine, part 2: backward() in topological order."""

import math

import torch

from homl_tui import report


def topological_order(root):
    """Every Value that root depends on (root included), each exactly once, every node
    after all of its inputs (its _prev), so root comes last."""
    order, seen = [], set()

    def visit(node):
        if node not in seen:
            seen.add(node)
            order.append(node)
            for child in node._prev:
                visit(child)

    visit(root)
    return order


class Value:
    """A number that remembers how it was computed, so that gradients can flow back to it.

    data: the number. grad: d(final output)/d(this value), filled in by backward().
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

    # ---- The primitive operations (your solution to part 1). ----

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

        out._backward = _backward
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

    def backward(self):
        """Fill in d(self)/d(node) in node.grad for every node self was computed from."""
        self.grad = 1.0  # d(self)/d(self)
        for node in reversed(topological_order(self)):
            node._backward()


def f(x):
    """A function that uses x several times, through several operations."""
    return (x * x + 1.0).log() * x.tanh() + (x - 0.5).relu() ** 2


if __name__ == "__main__":
    x = Value(0.8)
    y = f(x)
    y.backward()
    print(f"f(0.8) = {y.data:.6f}, f'(0.8) by our backward = {x.grad:.6f}")

    t = torch.tensor(0.8, dtype=torch.float64, requires_grad=True)
    ((t * t + 1.0).log() * t.tanh() + (t - 0.5).relu() ** 2).backward()
    print(f"                  f'(0.8) by torch.autograd = {t.grad.item():.6f}")
    print("nodes in topological order:", " ".join(n._op or "leaf" for n in topological_order(y)))

    xs, ys, slopes = [k / 20 for k in range(-60, 61)], [], []
    for v in xs:
        x = Value(v)
        y = f(x)
        y.backward()
        ys.append(y.data)
        slopes.append(x.grad)
    report.plot("f", ys, xs, title="f(x) and its derivative from your backward()",
                overlay={"f'(x)": (xs, slopes)})
