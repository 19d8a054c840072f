"""Check max_pool2d and avg_pool2d against F.max_pool2d and F.avg_pool2d on seeded batches.

Six cases: the default stride (None = kernel_size) on sizes that the kernel divides and on
sizes it does not (the last, partial window is dropped), an overlapping 3x3 window with
stride 2 (as in AlexNet), and a stride larger than the window. Exact comparisons up to float32
rounding (rtol 1e-5 / atol 1e-6). Built-in pooling functions and layers are not allowed: the
AST of the file (without its __main__ block) is inspected.
"""

import ast
import re
from pathlib import Path

import torch
import torch.nn.functional as F

from homl_tui.checks import CheckFailed, expect_close, fail, require_function

BANNED = re.compile(r"(?i)^(\w*pool\d?d\w*|\w*pool\d?d_with_indices)$")

# (label, shape, kernel_size, stride)
CASES = [
    ("a 4x4 image, kernel 2, no stride given", (1, 1, 4, 4), 2, None),
    ("2 images with 3 channels, kernel 2, no stride given", (2, 3, 6, 6), 2, None),
    ("7x7 images, kernel 2, no stride given", (2, 3, 7, 7), 2, None),
    ("kernel 3, stride 2 (overlapping windows)", (2, 2, 7, 9), 3, 2),
    ("kernel 2, stride 3 (gaps between windows)", (1, 2, 8, 8), 2, 3),
    ("kernel 3, no stride given", (2, 4, 9, 10), 3, None),
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
        names = []
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("torch"):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.Attribute):
            names = [node.attr]
        banned = [n for n in names if BANNED.match(n)]
        if banned:
            fail(f"Your file uses the built-in {banned[0]} (line {node.lineno}). Here the "
                 "point is to cut the windows and reduce them yourself (slicing, "
                 "Tensor.unfold, amax, mean).")


def _diagnose(name, got, x, k, s):
    builtin = F.max_pool2d if name == "max_pool2d" else F.avg_pool2d
    ref = builtin(x, k, s)
    if not isinstance(got, torch.Tensor):
        fail(f"{name} returned a {type(got).__name__}; return a torch tensor.")
    got = got.detach().cpu()
    shape, want = tuple(got.shape), tuple(ref.shape)
    if shape != want:
        if len(shape) != 4 or shape[:2] != want[:2]:
            fail(f"{name} returned shape {shape}: pooling keeps the batch and channel axes "
                 "(N, C) as they are and pools every channel on its own; only H and W shrink.")
        if s is None and shape == tuple(builtin(x, k, 1).shape):
            fail(f"{name} returned shape {shape}: with no stride given, your windows "
                 "move one pixel at a time. For pooling, no stride means stride = "
                 "kernel_size (windows side by side, no overlap).")
        if s is not None and shape == tuple(builtin(x, k, k).shape):
            fail(f"{name} returned shape {shape}: it looks like the stride argument is "
                 "ignored (the windows always move by kernel_size). Use the stride "
                 "when one is given.")
        fail(f"{name} returned shape {shape}: its height and width are not right (windows "
             "that stick out of the image are dropped).")
    if name == "avg_pool2d":
        total = F.avg_pool2d(x, k, s) * (k * k)
        for factor, what in ((1, "the sum of each window"), (k, f"the sum divided by {k}")):
            if torch.allclose(got, total / factor, rtol=1e-5, atol=1e-6):
                fail(f"avg_pool2d returns {what}, not its mean: a {k}x{k} window "
                     "holds more values than that. Divide by the right count.")
    expect_close(f"{name}(...)", got, ref, rtol=1e-5, atol=1e-6)


def check(learner, ctx):
    fns = {name: require_function(learner, name) for name in ("max_pool2d", "avg_pool2d")}
    _forbid_builtins(learner)
    g = torch.Generator().manual_seed(ctx.seed + 3)
    with torch.no_grad():
        for label, shape, k, s in CASES:
            x = torch.randn(shape, generator=g)
            for name, fn in fns.items():
                x0 = x.clone()
                got = fn(x, k) if s is None else fn(x, k, stride=s)
                try:
                    if not torch.equal(x, x0):
                        fail(f"{name} changed x in place. Leave the input as it was.")
                    if got is None:
                        fail(f"{name} returned None: did you forget to `return` the result?")
                    _diagnose(name, got, x, k, s)
                except CheckFailed as exc:
                    fail(f"On the case with {label} (x {tuple(shape)}): {exc.message}")
