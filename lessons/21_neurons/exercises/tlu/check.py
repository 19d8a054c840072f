"""Check step, tlu, the AND/OR/NOT weights and the two-layer XOR net.

Everything here is exact (outputs are 0.0 or 1.0), so the check compares truth tables
and the outputs of step/tlu on seeded random inputs exactly. The XOR weights are
evaluated with the check's own TLU, so a net that only looks right because of a bug
in `tlu` cannot pass.
"""

import torch

from homl_tui.checks import expect_shape, expect_true, fail, require_function

CORNERS2 = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
CORNERS1 = torch.tensor([[0.0], [1.0]])
TABLES = {  # gate -> (inputs, truth table)
    "AND": (CORNERS2, [0.0, 0.0, 0.0, 1.0]),
    "OR": (CORNERS2, [0.0, 1.0, 1.0, 1.0]),
    "NOT": (CORNERS1, [1.0, 0.0]),
}
XOR = [0.0, 1.0, 1.0, 0.0]


def _step(z):
    return (z >= 0).float()


def _tlu(X, W, b):
    return _step(X @ W + b)


def _as_tensor(name, value):
    if value is None:
        fail(f"`{name}` is still None: set it to the weights you chose.")
    try:
        return torch.as_tensor(value, dtype=torch.float32)
    except (TypeError, ValueError, RuntimeError):
        fail(f"`{name}` should be a number or a tensor of numbers; it is a "
             f"{type(value).__name__}.")


def _result(name, value, shape):
    if not isinstance(value, torch.Tensor):
        fail(f"`{name}` returned a {type(value).__name__}; return a torch tensor.")
    expect_shape(name, value, shape)
    if not value.dtype.is_floating_point:
        fail(f"`{name}` returned a tensor of dtype {str(value.dtype).replace('torch.', '')}: "
             "return floats (0.0 and 1.0), e.g. with .float(), so that the outputs of one "
             "layer can be multiplied by the weights of the next.")
    return value.detach().cpu()


def _check_step(step, g):
    z = torch.tensor([-3.0, -1e-6, 0.0, -0.0, 1e-6, 2.5, 1e30, -1e30])
    got = _result("step(z)", step(z.clone()), z.shape)
    zero = got[2:4]
    if not torch.equal(zero, torch.ones(2)):
        fail("step(0) is not 1.0: a TLU fires when its weighted sum reaches the threshold, "
             "so the step is 1 where z >= 0 (greater than OR EQUAL to zero).")
    expect_true(torch.equal(got, _step(z)), "step(z) is wrong for some entries: it should be "
                "1.0 where z >= 0 and 0.0 elsewhere.")
    for shape in ((5,), (3, 4), (2, 3, 2)):
        z = torch.randn(shape, generator=g)
        got = _result(f"step(z) for z of shape {shape}", step(z.clone()), shape)
        expect_true(torch.equal(got, _step(z)), f"step(z) is wrong for some entries of a "
                    f"tensor of shape {shape}: apply the test z >= 0 element-wise.")


def _check_tlu(tlu, g):
    for m, n, k in ((6, 2, None), (5, 3, 4), (1, 4, None), (7, 1, 2)):
        X = torch.randn(m, n, generator=g)
        W = torch.randn(n, generator=g) if k is None else torch.randn(n, k, generator=g)
        b = float(torch.randn((), generator=g)) if k is None else torch.randn(k, generator=g)
        shape = (m,) if k is None else (m, k)
        what = f"X {(m, n)}, W {tuple(W.shape)}" + ("" if k is None else f", b {(k,)}")
        got = _result(f"tlu(X, W, b) with {what}", tlu(X.clone(), W.clone(), b), shape)
        if not torch.equal(got, _tlu(X, W, b)):
            fail(f"tlu(X, W, b) with {what} is wrong for some rows: each unit computes the "
                 "weighted sum of its inputs plus its bias, X @ W + b, then applies step.")


def _rows(X, mask):
    return ", ".join(str(tuple(int(v) for v in row)) for row in X[mask].tolist())


def _check_gate(learner, tlu, gate):
    X, table = TABLES[gate]
    W = _as_tensor(f"{gate}_W", getattr(learner, f"{gate}_W", None))
    b = _as_tensor(f"{gate}_B", getattr(learner, f"{gate}_B", None))
    if W.shape != (X.shape[1],):
        fail(f"`{gate}_W` has shape {tuple(W.shape)}; the {gate} unit has {X.shape[1]} "
             f"input(s), so it needs {X.shape[1]} weight(s) in a 1-D tensor.")
    if b.numel() != 1:
        fail(f"`{gate}_B` should be one number: a single unit has a single bias.")
    got = _result(f"tlu(X, {gate}_W, {gate}_B)", tlu(X, W, b.reshape(())), (X.shape[0],))
    wrong = got != torch.tensor(table)
    if not wrong.any():
        return
    head = f"Your {gate} unit is wrong for the input(s) {_rows(X, wrong)}."
    if wrong[0]:
        fail(f"{head} With every input at 0 the weighted sum is just the bias, so the unit "
             f"fires exactly when the bias is >= 0: check the sign of `{gate}_B`. The bias "
             "is minus the threshold: a unit that should stay silent at zero needs a "
             "negative bias, one that should fire there a positive one.")
    fail(f"{head} Work through the truth table by hand: for each input compute w . x + b and "
         "decide which side of 0 it must fall on.")


def _check_xor(learner, xor_net):
    got = _result("xor_net(X)", xor_net(CORNERS2.clone()), (4,))
    wrong = got != torch.tensor(XOR)
    if wrong.any():
        head = f"xor_net is wrong for the input(s) {_rows(CORNERS2, wrong)}."
        out_w, out_b = getattr(learner, "OUT_W", None), getattr(learner, "OUT_B", None)
        try:
            direct = _tlu(CORNERS2, torch.as_tensor(out_w, dtype=torch.float32),
                          torch.as_tensor(out_b, dtype=torch.float32))
        except (TypeError, ValueError, RuntimeError):
            direct = None
        if direct is not None and torch.equal(direct, got):
            fail(f"{head} Your net feeds the inputs straight into a single output unit. "
                 "One TLU draws one straight line, and no straight line puts (0, 1) and "
                 "(1, 0) on one side and (0, 0), (1, 1) on the other: XOR needs a hidden "
                 "layer of TLUs whose outputs feed the output unit.")
        if torch.equal(got, 1 - torch.tensor(XOR)):
            fail(f"{head} Every answer is flipped: the net computes XNOR. Swap which side "
                 "of the output unit's line counts as 1.")
        fail(f"{head} The function your net computes could be drawn with a single straight "
             "line, so the hidden layer is not doing its job yet. Think of XOR as "
             "\"at least one input, but not both\": which two simple gates does that name?")

    names = ("HIDDEN_W", "HIDDEN_B", "OUT_W", "OUT_B")
    HW, HB, OW, OB = (_as_tensor(name, getattr(learner, name, None)) for name in names)
    if HW.dim() != 2 or HW.shape[0] != 2:
        fail(f"`HIDDEN_W` has shape {tuple(HW.shape)}; it should be (2, k): 2 inputs, one "
             "column of weights per hidden unit.")
    k = HW.shape[1]
    if HB.shape != (k,):
        fail(f"`HIDDEN_B` has shape {tuple(HB.shape)}; with {k} hidden unit(s) it needs "
             f"{k} bias(es), shape ({k},).")
    if OW.shape != (k,) or OB.numel() != 1:
        fail(f"`OUT_W` should have one weight per hidden unit, shape ({k},), and `OUT_B` "
             "one number.")
    from_weights = _tlu(_tlu(CORNERS2, HW, HB), OW, OB.reshape(()))
    expect_true(torch.equal(from_weights, torch.tensor(XOR)),
                "xor_net gives XOR, but the weights HIDDEN_W, HIDDEN_B, OUT_W, OUT_B do not: "
                "xor_net must compute tlu(tlu(X, HIDDEN_W, HIDDEN_B), OUT_W, OUT_B), with no "
                "other logic.")


def check(learner, ctx):
    step = require_function(learner, "step")
    tlu = require_function(learner, "tlu")
    xor_net = require_function(learner, "xor_net")
    g = torch.Generator().manual_seed(ctx.seed + 7)
    _check_step(step, g)
    _check_tlu(tlu, g)
    for gate in ("AND", "OR", "NOT"):
        _check_gate(learner, tlu, gate)
    _check_xor(learner, xor_net)

    points = CORNERS2.repeat(20, 1) + 0.15 * torch.randn(80, 2, generator=g)
    ctx.report.boundary("your xor_net", lambda P: xor_net(torch.as_tensor(
        P, dtype=torch.float32)).long(), points, torch.tensor(XOR * 20).long(),
        title="where your XOR net outputs 1")
