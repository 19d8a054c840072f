"""Check conv2d against torch.nn.functional.conv2d on seeded random batches.

Seven cases, from one channel without padding to batches with several channels, padding,
stride, a non-square kernel and dilation; then gradients through one case. Values are float32
sums of up to 36 products, so the tolerance is rtol 1e-4 / atol 1e-4 (the reference differs
from F.conv2d by about 2e-6). When a case is wrong, the check tries the usual mistakes
(flipped or transposed kernel, padding on one side only or on one axis only, a mean instead
of a sum, a missing bias, a missing last window) and names the one that matches.
Built-in convolutions and unfold are not allowed: the AST of the file (without its
__main__ block) is inspected.
"""

import ast
import re
from pathlib import Path

import torch
import torch.nn.functional as F

from homl_tui.checks import CheckFailed, as_array, expect_close, fail, require_function

RTOL, ATOL = 1e-4, 1e-4
BANNED = re.compile(r"^(conv\d?d|conv_transpose\d?d|convolution|_convolution|Conv\d?d|"
                    r"LazyConv\d?d|ConvTranspose\d?d|Unfold|Fold|unfold|fold|im2col)$")
FUNCTIONAL = ("F", "functional", "nn")

# (label, N, C_in, C_out, H, W, kH, kW, stride, padding, dilation, with bias)
CASES = [
    ("one channel, no padding", 1, 1, 1, 5, 5, 3, 3, 1, 0, 1, False),
    ("several channels", 2, 3, 4, 6, 6, 3, 3, 1, 0, 1, False),
    ("padding=1 and a bias", 2, 3, 2, 6, 7, 3, 3, 1, 1, 1, True),
    ("stride=2", 2, 2, 3, 7, 7, 3, 3, 2, 0, 1, True),
    ("a 2x3 kernel, padding=2, stride=2", 1, 2, 2, 9, 8, 2, 3, 2, 2, 1, True),
    ("dilation=2, padding=2", 2, 2, 3, 10, 9, 3, 3, 1, 2, 2, True),
    ("stride=3, padding=1, dilation=2", 3, 4, 5, 11, 12, 3, 3, 3, 1, 2, True),
]


def _main_block(node):
    test = getattr(node, "test", None)
    return (isinstance(node, ast.If) and isinstance(test, ast.Compare)
            and isinstance(test.left, ast.Name) and test.left.id == "__name__")


def _forbid_builtins(learner):
    path = getattr(learner, "__file__", None)
    if not path:
        return
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    tree.body = [node for node in tree.body if not _main_block(node)]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("torch"):
            names = [a.name for a in node.names if BANNED.match(a.name)]
            if names:
                fail(f"Your file imports {names[0]} from {node.module} (line {node.lineno}). "
                     "Here the point is to compute the convolution yourself: padding, "
                     "slicing and sums; no built-in convolution or unfold.")
        if isinstance(node, ast.Attribute) and BANNED.match(node.attr):
            owner = node.value
            is_tensor_unfold = node.attr == "unfold" and not (
                (isinstance(owner, ast.Name) and owner.id in FUNCTIONAL)
                or (isinstance(owner, ast.Attribute) and owner.attr in FUNCTIONAL))
            if not is_tensor_unfold:
                fail(f"Your file uses .{node.attr} (line {node.lineno}). Here the point is "
                     "to compute the convolution yourself: padding, slicing and sums; no "
                     "built-in convolution or F.unfold.")


def _data(case, g):
    _, n, c_in, c_out, h, w, kh, kw, _, _, _, with_bias = case
    x = torch.randn(n, c_in, h, w, generator=g)
    weight = torch.randn(c_out, c_in, kh, kw, generator=g)
    bias = torch.randn(c_out, generator=g) if with_bias else None
    return x, weight, bias


def _close(got, want):
    return got.shape == want.shape and torch.allclose(got, want, rtol=RTOL, atol=ATOL)


def _diagnose_shape(got, x, weight, bias, s, p, d):
    want = F.conv2d(x, weight, bias, s, p, d).shape
    shape = tuple(got.shape)
    if len(shape) != 4:
        fail(f"the output has shape {shape}: it should have 4 axes (N, C_out, H_out, W_out).")
    if shape[:2] != tuple(want[:2]):
        fail(f"the output has shape {shape}: axis 0 should be the batch and axis 1 one "
             "channel per filter (weight.shape[0]). Sum over the input channels, not over "
             "the filters or the batch.")
    if p and shape == tuple(F.conv2d(F.pad(x, (p, 0, p, 0)), weight, None, s, 0, d).shape):
        fail(f"the output has shape {shape}: the padding looks applied on one side only. "
             "`padding` zeros go on BOTH sides of each spatial axis: top and bottom, "
             "left and right.")
    if p and shape == tuple(F.conv2d(F.pad(x, (p, p)), weight, None, s, 0, d).shape):
        fail(f"the output has shape {shape}: only the width was padded. With F.pad, a "
             "tuple of two numbers pads the last axis only; the height needs its own pair.")
    kh, kw = weight.shape[-2:]
    if kh != kw and shape == tuple(F.conv2d(x, weight.transpose(-2, -1), None, s, p, d).shape):
        fail(f"the output has shape {shape}: the kernel looks transposed. weight[o, c, a, b] "
             "multiplies the input at row offset a and column offset b.")
    if any(a == b - 1 for a, b in zip(shape[2:], want[2:], strict=True)) and all(
            a <= b for a, b in zip(shape[2:], want[2:], strict=True)):
        fail(f"the output has shape {shape}: one row or column of outputs is missing. The "
             "last window that fits entirely inside the padded input counts too: check the "
             "end of your ranges (range(start, stop) stops before stop).")
    if any(a == b + 1 for a, b in zip(shape[2:], want[2:], strict=True)) and all(
            a >= b for a, b in zip(shape[2:], want[2:], strict=True)):
        fail(f"the output has shape {shape}: there is one row or column of outputs too many. "
             "A window that would stick out of the padded input does not count.")
    fail(f"the output has shape {shape}: its height and width are not right. Compute "
         "H_out and W_out with the output-size formula (stride, padding and dilation).")


def _diagnose_values(got, x, weight, bias, s, p, d):
    ref = F.conv2d(x, weight, bias, s, p, d)
    no_bias = F.conv2d(x, weight, None, s, p, d)
    b4 = 0 if bias is None else bias.view(1, -1, 1, 1)
    c_in, kh, kw = weight.shape[1:]
    candidates = [
        (F.conv2d(x, weight.flip(-2, -1), bias, s, p, d),
         "the kernel is flipped. Flipping is the textbook definition of a convolution, but "
         "deep learning layers (PyTorch's Conv2d included) compute a cross-correlation: "
         "weight[o, c, a, b] multiplies the input at offset (a, b) of the window, unflipped."),
        (no_bias / (c_in * kh * kw) + b4,
         "the results are too small by a constant factor: they look like a mean over the "
         "window (channels and kernel positions) instead of a sum."),
        (no_bias / (kh * kw) + b4,
         "the results are too small by a constant factor: they look like a mean over the "
         "kernel positions instead of a sum."),
        (F.conv2d(x[:, :1], weight[:, :1], bias, s, p, d),
         "only the first input channel contributes. Every filter looks at ALL input "
         "channels and sums their contributions."),
    ]
    if kh == kw:
        candidates.append((F.conv2d(x, weight.transpose(-2, -1), bias, s, p, d),
                           "the kernel is transposed: weight[o, c, a, b] multiplies the "
                           "input at row offset a and column offset b, not the other way "
                           "round."))
    if bias is not None:
        candidates.append((no_bias, "the bias is missing: add bias[o] to every output of "
                           "filter o."))
    if p:
        candidates.append((F.conv2d(F.pad(x, (2 * p, 0, 2 * p, 0)), weight, bias, s, 0, d),
                           "the padding is all on one side. `padding` zeros go on BOTH "
                           "sides of each spatial axis."))
    if _close(got, ref):
        return
    for expected, message in candidates:
        if _close(got, expected) and not _close(ref, expected):
            fail(message)
    expect_close("conv2d(...)", got, ref, rtol=RTOL, atol=ATOL)


def _one_case(fn, case, g):
    label, *_, s, p, d, _ = case
    x, weight, bias = _data(case, g)
    x0, w0 = x.clone(), weight.clone()
    got = fn(x, weight, bias, stride=s, padding=p, dilation=d)
    where = (f"On the case with {label} (x {tuple(x.shape)}, weight {tuple(weight.shape)}, "
             f"stride={s}, padding={p}, dilation={d})")
    try:
        if got is None:
            fail("conv2d returned None: did you forget to `return` the output?")
        if not isinstance(got, torch.Tensor):
            fail(f"conv2d returned a {type(got).__name__}; return a torch tensor.")
        if not (torch.equal(x, x0) and torch.equal(weight, w0)):
            fail("conv2d changed x or weight in place. Leave the inputs as they were "
                 "(F.pad and slicing make new tensors or views you can read from).")
        got = got.detach().cpu()
        ref = F.conv2d(x, weight, bias, s, p, d)
        if tuple(got.shape) != tuple(ref.shape):
            _diagnose_shape(got, x, weight, bias, s, p, d)
        if not torch.is_floating_point(got):
            fail(f"the output has dtype {got.dtype}; it should be a float tensor like x.")
        _diagnose_values(got.float(), x, weight, bias, s, p, d)
    except CheckFailed as exc:
        fail(f"{where}: {exc.message}")


def _check_gradients(fn, g):
    case = CASES[4]
    x, weight, bias = _data(case, g)
    s, p, d = case[-4:-1]
    leaves = [t.clone().requires_grad_() for t in (x, weight, bias)]
    out = fn(*leaves, stride=s, padding=p, dilation=d)
    if not isinstance(out, torch.Tensor) or not out.requires_grad:
        fail("conv2d's output does not require grad when its inputs do, so a network built "
             "on it could not learn. Build the output from torch operations on x and weight "
             "(no .item(), .tolist(), NumPy or torch.tensor(...) around computed values).")
    upstream = torch.randn(out.shape, generator=g)
    (out * upstream).sum().backward()
    ref_leaves = [t.clone().requires_grad_() for t in (x, weight, bias)]
    (F.conv2d(*ref_leaves, s, p, d) * upstream).sum().backward()
    for name, mine, theirs in zip(("x", "weight", "bias"), leaves, ref_leaves, strict=True):
        if mine.grad is None:
            fail(f"After backward() through conv2d, {name}.grad is None: the output is not "
                 f"connected to {name} in the autograd graph.")
        expect_close(f"the gradient with respect to {name}", as_array(mine.grad),
                     as_array(theirs.grad), rtol=1e-3, atol=1e-3)


def check(learner, ctx):
    fn = require_function(learner, "conv2d")
    _forbid_builtins(learner)
    torch.set_grad_enabled(True)
    g = torch.Generator().manual_seed(ctx.seed + 7)
    with torch.no_grad():
        for case in CASES:
            _one_case(fn, case, g)
    _check_gradients(fn, g)
