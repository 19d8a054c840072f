"""Check the primitive operations of Value: forward values, local derivatives, accumulation,
and gradients of seeded random expressions against torch.autograd (float64).

Each primitive is first tested alone: build out = op(inputs), set out.grad to a number other
than 1, give the inputs a grad that is not 0, call out._backward() once, and compare what was
added to each input's grad with out.grad times the local derivative. That isolates a missing
chain-rule factor (out.grad), a gradient that is overwritten instead of added, and a wrong
local derivative, each with its own message. Then 40 random expressions (reused nodes
included) are pushed back with the check's own traversal (the learner writes backward() in
the next exercise). Everything is float64 on both sides:
tolerance rtol 1e-9, atol 1e-12.
"""

import math

import torch

from homl_tui.checks import fail, require_function

RTOL, ATOL = 1e-9, 1e-12

PRIMITIVES = {  # name -> (how to call it, local derivatives, the input's domain)
    "a + b": (lambda a, b: a + b, lambda a, b: (1.0, 1.0), "any"),
    "a * b": (lambda a, b: a * b, lambda a, b: (b, a), "any"),
    "a ** 2": (lambda a: a ** 2, lambda a: (2 * a,), "any"),
    "a ** 3": (lambda a: a ** 3, lambda a: (3 * a * a,), "any"),
    "a ** -1": (lambda a: a ** -1, lambda a: (-1 / (a * a),), "positive"),
    "a ** 0.5": (lambda a: a ** 0.5, lambda a: (0.5 / math.sqrt(a),), "positive"),
    "a.exp()": (lambda a: a.exp(), lambda a: (math.exp(a),), "any"),
    "a.log()": (lambda a: a.log(), lambda a: (1 / a,), "positive"),
    "a.tanh()": (lambda a: a.tanh(), lambda a: (1 - math.tanh(a) ** 2,), "any"),
    "a.relu() for a > 0": (lambda a: a.relu(), lambda a: (1.0,), "positive"),
    "a.relu() for a < 0": (lambda a: a.relu(), lambda a: (0.0,), "negative"),
}
FORWARD = {
    "a + b": lambda a, b: a + b, "a * b": lambda a, b: a * b, "a ** 2": lambda a: a ** 2,
    "a ** 3": lambda a: a ** 3, "a ** -1": lambda a: 1 / a, "a ** 0.5": math.sqrt,
    "a.exp()": math.exp, "a.log()": math.log, "a.tanh()": math.tanh,
    "a.relu() for a > 0": lambda a: max(a, 0.0), "a.relu() for a < 0": lambda a: max(a, 0.0),
}


def _close(got, want):
    return math.isfinite(got) and abs(got - want) <= ATOL + RTOL * abs(want)


def _draw(rng, domain):
    if domain == "positive":
        return float(rng.uniform(0.3, 2.5))
    if domain == "negative":
        return float(rng.uniform(-2.5, -0.3))
    value = float(rng.uniform(0.3, 2.0)) * (1 if rng.random() < 0.5 else -1)
    return value


def _as_value(Value, out, what):
    if not isinstance(out, Value):
        fail(f"`{what}` returned a {type(out).__name__}; every operation must return a new "
             "Value (so that it can be used in further operations and remembers its inputs).")
    return out


def _check_primitive(Value, name, rng):
    fn, local, domain = PRIMITIVES[name]
    arity = fn.__code__.co_argcount
    numbers = [_draw(rng, domain) for _ in range(arity)]
    inputs = [Value(x) for x in numbers]
    out = _as_value(Value, fn(*inputs), name)
    want_data = FORWARD[name](*numbers)
    if not _close(out.data, want_data):
        fail(f"The forward value of `{name}` is off by {abs(out.data - want_data):.3g} "
             "(out.data should be the result of the operation on the inputs' .data).")
    if not all(any(p is x for p in out._prev) for x in inputs):
        fail(f"The output of `{name}` does not list its input(s) in `_prev`: pass them as "
             "the children when you create `out`, or the backward pass cannot find them.")
    prior = [float(rng.uniform(-1.0, 1.0)) for _ in inputs]
    upstream = float(rng.uniform(1.5, 3.0))
    for x, p in zip(inputs, prior, strict=True):
        x.grad = p
    out.grad = upstream
    out._backward()
    for k, (x, p, d) in enumerate(zip(inputs, prior, local(*numbers), strict=True)):
        which = "" if arity == 1 else (" for a" if k == 0 else " for b")
        added = x.grad - p
        want = upstream * d
        if _close(added, want):
            continue
        head = f"The gradient of `{name}`{which} is wrong."
        if x.grad == p and want != 0:
            fail(f"{head} out._backward() did not change the input's grad: define a "
                 "function _backward that updates the inputs' .grad, and attach it with "
                 "out._backward = _backward.")
        if _close(x.grad, want):
            fail(f"{head} Its grad was replaced instead of added to: a Value used in several "
                 "places receives a share of the gradient from each use, so write "
                 "`x.grad += ...`, never `x.grad = ...`.")
        if _close(added, d) and upstream != 1:
            fail(f"{head} What reaches the input is the local derivative alone, without "
                 "out.grad: by the chain rule, multiply the local derivative by out.grad "
                 "(how much the final output changes with out).")
        fail(f"{head} What it adds to the input's grad is off by {abs(added - want):.3g}: "
             "check the local derivative of this operation (then multiply it by out.grad).")


def _check_reuse(Value, rng):
    for name, build, derivative in (
            ("x * x", lambda x: x * x, lambda v: 2 * v),
            ("x + x", lambda x: x + x, lambda v: 2.0)):
        v = _draw(rng, "any")
        x = Value(v)
        out = build(x)
        out.grad = 1.0
        out._backward()
        if _close(x.grad, derivative(v) / 2):
            fail(f"For `{name}` the gradient of x is half what it should be: x is both inputs "
                 "of the operation, so it must receive both contributions. With "
                 "`grad = ...` the second one overwrites the first: use `+=`.")
        if not _close(x.grad, derivative(v)):
            fail(f"For `{name}` the gradient of x is off by {abs(x.grad - derivative(v)):.3g}.")


# ---- Random expressions, built the same way on Values and on torch tensors. ----

UNARY = [
    lambda a: a ** 2, lambda a: (a * a + 0.5) ** -0.5, lambda a: a.tanh().exp(),
    lambda a: (a * a + 1.0).log(), lambda a: a.tanh(), lambda a: a.relu(),
    lambda a: 2.0 - a * 0.5, lambda a: 1.0 / (a * a + 1.0), lambda a: -a + 1.5,
]
BINARY = [
    lambda a, b: a + b, lambda a, b: a * b, lambda a, b: a - b,
    lambda a, b: a / (b * b + 1.0), lambda a, b: (a * b).tanh(),
]


def _program(rng, n_leaves, n_ops):
    steps = []
    for k in range(n_ops):
        size = n_leaves + k
        if rng.random() < 0.5:
            steps.append(("u", int(rng.integers(len(UNARY))), int(rng.integers(size))))
        else:
            steps.append(("b", int(rng.integers(len(BINARY))), int(rng.integers(size)),
                          int(rng.integers(size))))
    return steps


def _execute(steps, leaves):
    regs = list(leaves)
    for step in steps:
        if step[0] == "u":
            regs.append(UNARY[step[1]](regs[step[2]]))
        else:
            regs.append(BINARY[step[1]](regs[step[2]], regs[step[3]]))
    return regs[-1] + regs[-2] * regs[-3]


def _push_back(root):
    order, seen = [], set()
    stack = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in node._prev)
    root.grad = 1.0
    for node in reversed(order):
        node._backward()


def _check_expressions(Value, rng, count):
    for number in range(1, count + 1):
        n_leaves = int(rng.integers(2, 5))
        steps = _program(rng, n_leaves, int(rng.integers(3, 9)))
        numbers = [float(v) for v in rng.uniform(-2, 2, size=n_leaves)]
        leaves = [Value(v) for v in numbers]
        out = _execute(steps, leaves)
        tensors = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in numbers]
        t_out = _execute(steps, tensors)
        t_out.backward()
        where = f"On random expression #{number} ({n_leaves} inputs, {len(steps)} operations)"
        if not _close(out.data, t_out.item()):
            fail(f"{where} the output value is off by {abs(out.data - t_out.item()):.3g}.")
        _push_back(out)
        for k, (leaf, t) in enumerate(zip(leaves, tensors, strict=True)):
            want = 0.0 if t.grad is None else t.grad.item()
            if not _close(leaf.grad, want):
                fail(f"{where} the gradient of input {k} is off by "
                     f"{abs(leaf.grad - want):.3g} compared with torch.autograd. The "
                     "expression mixes several operations and reuses intermediate results; "
                     "the single operations passed on their own, so look at the ones built "
                     "from them (-, /, numbers on the left) and at constants wrapped in Value.")


def check(learner, ctx):
    Value = require_function(learner, "Value")
    torch.set_grad_enabled(True)
    rng = ctx.rng(11)
    for name in PRIMITIVES:
        for _ in range(3):
            _check_primitive(Value, name, rng)
    _check_reuse(Value, rng)
    _check_expressions(Value, rng, 40)
