"""Check box_iou on hand-made pairs (identical, nested, overlapping, touching, apart along one
axis, apart along both) and on seeded random boxes, then nms on seeded clusters of boxes.

box_iou: compared with a float64 reference, rtol 1e-5 / atol 1e-6 (float32 inputs).
nms: the kept indices must be exactly the reference's, in order (scores are random floats,
so there are no ties), for thresholds 0.3, 0.5 and 0.7.
"""

import math

import torch

from homl_tui.checks import CheckFailed, expect_close, fail, require_function

# (label, box a, box b)
PAIRS = [
    ("a box and itself", [0, 0, 2, 2], [0, 0, 2, 2]),
    ("two overlapping boxes", [0, 0, 2, 2], [1, 1, 3, 3]),
    ("a box inside another", [0, 0, 4, 4], [1, 1, 2, 3]),
    ("two boxes that only touch along an edge", [0, 0, 2, 2], [2, 0, 4, 2]),
    ("two boxes apart along x only", [0, 0, 2, 2], [3, 0, 5, 2]),
    ("two boxes apart along both x and y", [0, 0, 2, 2], [3, 3, 5, 5]),
]


def _iou64(a, b):
    a, b = a.double(), b.double()
    lt = torch.maximum(a[:, None, :2], b[None, :, :2])
    rb = torch.minimum(a[:, None, 2:], b[None, :, 2:])
    wh = (rb - lt).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    area = lambda t: (t[:, 2] - t[:, 0]) * (t[:, 3] - t[:, 1])  # noqa: E731
    return inter / (area(a)[:, None] + area(b)[None, :] - inter)


def _random_boxes(n, g, spread=10.0):
    corner = torch.rand(n, 2, generator=g) * spread
    size = torch.rand(n, 2, generator=g) * 4 + 0.5
    return torch.cat([corner, corner + size], dim=1)


def _as_matrix(got, n, m, what):
    if got is None:
        fail(f"box_iou returned None for {what}: did you forget to `return`?")
    if not isinstance(got, torch.Tensor):
        fail(f"box_iou returned a {type(got).__name__} for {what}; return a tensor.")
    got = got.detach().cpu()
    if tuple(got.shape) == (m, n) and n != m:
        fail(f"box_iou returned shape {tuple(got.shape)} for {what}: it is transposed. "
             "Row i should belong to boxes1[i] and column j to boxes2[j].")
    if tuple(got.shape) != (n, m):
        fail(f"box_iou returned shape {tuple(got.shape)} for {what}: it should be (N, M), "
             "one IoU for every pair of a box of boxes1 and a box of boxes2 (broadcast with "
             "boxes1[:, None] and boxes2[None, :]).")
    return got.double()


def _check_pairs(box_iou):
    for label, a, b in PAIRS:
        A, B = torch.tensor([a], dtype=torch.float32), torch.tensor([b], dtype=torch.float32)
        got = float(_as_matrix(box_iou(A, B), 1, 1, label)[0, 0])
        want = float(_iou64(A, B)[0, 0])
        if abs(got - want) <= 1e-6:
            continue
        where = f"For {label}, box_iou gives {got:.4g}"
        if math.isnan(got):
            fail(f"{where}: NaN. The union of two boxes of positive area is never zero; "
                 "look for a division by zero.")
        if label == "a box and itself":
            fail(f"{where}, but a box overlaps itself perfectly. If it is one half, the "
                 "union counts the intersection twice: area1 + area2 already contains it "
                 "twice, so subtract it once.")
        if want > 0 and not 0 <= got <= 1:
            fail(f"{where}: outside [0, 1], so the 'intersection' is not inside both boxes. "
                 "Its top-left corner is the larger of the two top-left corners, and its "
                 "bottom-right corner the smaller of the two bottom-right ones.")
        if got < 0:
            fail(f"{where}: a negative IoU. Boxes that are apart along x have a negative "
                 "'overlap width'; an overlap can never be less than zero, so clamp each "
                 "side of the intersection at 0.")
        if "both" in label and got > 0:
            fail(f"{where}, but these boxes do not overlap at all. Apart along x AND y, "
                 "both overlap sides are negative and their product is positive: clamp "
                 "each side of the intersection at 0 before multiplying.")
        fail(f"{where}, which is not right. IoU = intersection area / union area, with "
             "union = area1 + area2 - intersection.")


def _check_random(box_iou, g):
    for n, m in ((7, 5), (1, 6), (12, 12)):
        a, b = _random_boxes(n, g), _random_boxes(m, g)
        a0, b0 = a.clone(), b.clone()
        got = _as_matrix(box_iou(a, b), n, m, f"{n} and {m} random boxes")
        if not (torch.equal(a, a0) and torch.equal(b, b0)):
            fail("box_iou changed its input boxes in place. Leave them as they were.")
        expect_close(f"box_iou on {n} and {m} random boxes", got, _iou64(a, b),
                     rtol=1e-5, atol=1e-6)


def _reference_nms(boxes, scores, t, order=None):
    order = torch.argsort(scores, descending=True) if order is None else order
    ious = _iou64(boxes, boxes)
    removed = torch.zeros(len(boxes), dtype=torch.bool)
    keep = []
    for i in order.tolist():
        if not removed[i]:
            keep.append(i)
            removed |= ious[i] > t
    return keep


def _check_nms(nms, g):
    centres = torch.tensor([[5.0, 5.0], [20.0, 8.0], [12.0, 20.0], [25.0, 25.0]])
    for number, t in enumerate((0.5, 0.3, 0.7), start=1):
        k = torch.randint(0, len(centres), (30,), generator=g)
        centre = centres[k] + torch.randn(30, 2, generator=g) * 1.5
        half = torch.rand(30, 2, generator=g) * 2 + 3
        boxes = torch.cat([centre - half, centre + half], dim=1)
        scores = torch.rand(30, generator=g)
        boxes0, scores0 = boxes.clone(), scores.clone()
        got = nms(boxes, scores, t)
        where = f"On test #{number} (30 boxes in 4 clusters, iou_threshold={t})"
        try:
            if not (torch.equal(boxes, boxes0) and torch.equal(scores, scores0)):
                fail("nms changed boxes or scores in place. Leave them as they were.")
            if not isinstance(got, torch.Tensor):
                fail(f"nms returned a {type(got).__name__}; return an int64 tensor of "
                     "indices.")
            got = got.detach().cpu()
            if got.dim() != 1:
                fail(f"nms returned shape {tuple(got.shape)}: return the INDICES of the kept "
                     "boxes (a 1-D tensor), not the boxes themselves.")
            if got.dtype != torch.int64:
                fail(f"nms returned dtype {str(got.dtype).replace('torch.', '')}: return "
                     "int64 indices (they can index boxes and scores directly).")
            mine, want = got.tolist(), _reference_nms(boxes, scores, t)
            if mine == want:
                continue
            if sorted(mine) == sorted(want):
                fail("nms keeps the right boxes but returns them in another order: best "
                     "score first.")
            if mine == _reference_nms(boxes, scores, t, torch.arange(30)):
                fail("nms goes through the boxes in their input order. Greedy NMS starts "
                     "from the box with the highest score, so that a weaker duplicate "
                     "never suppresses a better box: sort by score first.")
            if len(mine) >= len(want) * 2:
                fail(f"nms keeps {len(mine)} boxes, far too many: every kept box must "
                     "suppress the remaining boxes whose IoU with it is above the "
                     "threshold.")
            fail(f"nms keeps {len(mine)} box(es), not the right ones. Take the best "
                 "remaining box, drop every box with IoU > iou_threshold with it, repeat.")
        except CheckFailed as exc:
            fail(f"{where}: {exc.message}")


def check(learner, ctx):
    box_iou = require_function(learner, "box_iou")
    nms = require_function(learner, "nms")
    g = torch.Generator().manual_seed(ctx.seed + 11)
    with torch.no_grad():
        _check_pairs(box_iou)
        _check_random(box_iou, g)
        _check_nms(nms, g)
