"""Check topological_order and Value.backward on hand-made and seeded random graphs.

topological_order is checked structurally (every node reachable from the root exactly once,
each node after all of its inputs, the root last). backward is compared with torch.autograd
(float64) on a diamond, a long chain and 40 random expressions with reused nodes; when it
is wrong, the check replays the common slips with its own traversal (walking the order
forwards) to say which one it was. Tolerance rtol 1e-9, atol 1e-12.
"""

import math

import torch

from homl_tui.checks import fail, require_function

RTOL, ATOL = 1e-9, 1e-12


def _close(got, want):
    return math.isfinite(got) and abs(got - want) <= ATOL + RTOL * abs(want)


def _reachable(root):
    nodes, stack = {}, [root]
    while stack:
        node = stack.pop()
        if id(node) not in nodes:
            nodes[id(node)] = node
            stack.extend(node._prev)
    return nodes


def _proper_order(root):
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in node._prev)
    return order


def _check_order(topological_order, root, what):
    order = topological_order(root)
    try:
        order = list(order)
    except TypeError:
        fail(f"topological_order returned a {type(order).__name__}; return a list of Values.")
    nodes = _reachable(root)
    ids = [id(node) for node in order]
    if len(set(ids)) < len(ids):
        fail(f"On {what}, topological_order lists some nodes more than once: a node reached "
             "along two paths must be visited only once. Keep a set of the nodes already "
             "visited and skip them.")
    missing = len(set(nodes) - set(ids))
    if missing:
        fail(f"On {what}, topological_order misses {missing} of the {len(nodes)} nodes the "
             "root depends on: follow every input in node._prev, down to the leaves, and "
             "include the leaves and the root.")
    if len(ids) > len(nodes):
        fail(f"On {what}, topological_order returned nodes the root does not depend on.")
    position = {node_id: k for k, node_id in enumerate(ids)}
    for node in order:
        if any(position[id(child)] > position[id(node)] for child in node._prev):
            fail(f"On {what}, topological_order puts a node before one of its inputs. In a "
                 "topological order every node comes after everything it was computed from: "
                 "append a node only after visiting all of its inputs.")
    if order[-1] is not root:
        fail(f"On {what}, the root is not the last node of the order.")


# ---- Graphs, built the same way on Values and on torch tensors. ----

UNARY = [
    lambda a: a ** 2, lambda a: (a * a + 0.5) ** -0.5, lambda a: a.tanh().exp(),
    lambda a: (a * a + 1.0).log(), lambda a: a.tanh(), lambda a: a.relu(),
    lambda a: 2.0 - a * 0.5, lambda a: 1.0 / (a * a + 1.0),
]
BINARY = [
    lambda a, b: a + b, lambda a, b: a * b, lambda a, b: a - b,
    lambda a, b: a / (b * b + 1.0), lambda a, b: (a * b).tanh(),
]


def _diamond(leaves):
    (a,) = leaves
    b = a * 2.0
    c = a.tanh()
    d = b * c + a
    return (d * d + c).log() + b


def _chain(leaves):
    (x,) = leaves
    for k in range(120):
        x = (x * 0.9 + 0.05 * k).tanh() if k % 2 else x + x * 0.01
    return x


def _random_graph(rng):
    n_leaves = int(rng.integers(2, 5))
    steps = []
    for k in range(int(rng.integers(4, 12))):
        size = n_leaves + k
        if rng.random() < 0.5:
            steps.append(("u", int(rng.integers(len(UNARY))), int(rng.integers(size))))
        else:
            steps.append(("b", int(rng.integers(len(BINARY))), int(rng.integers(size)),
                          int(rng.integers(size))))

    def build(leaves):
        regs = list(leaves)
        for step in steps:
            if step[0] == "u":
                regs.append(UNARY[step[1]](regs[step[2]]))
            else:
                regs.append(BINARY[step[1]](regs[step[2]], regs[step[3]]))
        return regs[-1] + regs[-2] * regs[-3]

    numbers = [float(v) for v in rng.uniform(-2, 2, size=n_leaves)]
    return build, numbers, f"random graph ({n_leaves} inputs, {len(steps)} operations)"


def _torch_grads(build, numbers):
    tensors = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in numbers]
    build(tensors).backward()
    return [0.0 if t.grad is None else t.grad.item() for t in tensors]


def _forwards(Value, build, numbers):
    """The slip of walking the order from the leaves to the output."""
    leaves = [Value(v) for v in numbers]
    root = build(leaves)
    root.grad = 1.0
    for node in _proper_order(root):
        node._backward()
    return [leaf.grad for leaf in leaves]


def _check_backward(Value, build, numbers, what):
    leaves = [Value(v) for v in numbers]
    root = build(leaves)
    result = root.backward()
    if result is not None and not isinstance(result, Value):
        fail("backward() should fill in the .grad of every node and return nothing.")
    if not _close(root.grad, 1.0):
        fail(f"On {what}, after backward() the output's own grad is {root.grad:g}: "
             "d(output)/d(output) is 1, and backward() must set it before passing anything "
             "back (everything else is a multiple of it).")
    got = [leaf.grad for leaf in leaves]
    want = _torch_grads(build, numbers)
    if all(_close(g, w) for g, w in zip(got, want, strict=True)):
        return
    forwards = _forwards(Value, build, numbers)
    if all(_close(g, w) for g, w in zip(got, forwards, strict=True)):
        fail(f"On {what}, the gradients only got one step past the output: the nodes were "
             "processed from the leaves to the output. A node may pass its gradient on only "
             "once it is complete, so call _backward in the reverse of the topological "
             "order, from the output back to the inputs.")
    k = next(i for i, (g, w) in enumerate(zip(got, want, strict=True)) if not _close(g, w))
    fail(f"On {what}, the gradient of input {k} is off by {abs(got[k] - want[k]):.3g} "
         "compared with torch.autograd. Set the output's grad to 1, then call _backward() "
         "once per node, in reversed topological order.")


def check(learner, ctx):
    Value = require_function(learner, "Value")
    topological_order = require_function(learner, "topological_order")
    torch.set_grad_enabled(True)
    rng = ctx.rng(5)

    single = Value(1.5)
    _check_order(topological_order, single, "a single leaf")
    graphs = [(_diamond, [0.7], "a diamond (one input used along several paths)"),
              (_chain, [0.3], "a chain of 300 operations")]
    graphs += [_random_graph(rng) for _ in range(40)]
    for build, numbers, what in graphs:
        _check_order(topological_order, build([Value(v) for v in numbers]), what)
    for build, numbers, what in graphs:
        _check_backward(Value, build, numbers, what)
