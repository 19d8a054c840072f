"""Mutant: swaps minimum and maximum, so the 'intersection' is the enclosing box.

Boxes for object detection: intersection over union (IoU) and non-maximum suppression.

Boxes are (x1, y1, x2, y2) with x1 < x2 and y1 < y2 (the "xyxy" format): the top-left and
the bottom-right corner, in pixels.

box_iou(a, b)          (N, 4) and (M, 4) boxes -> (N, M) IoU of every pair
nms(boxes, scores, t)  indices of the boxes to keep, best score first
"""

import torch

from homl_tui import report


def box_area(boxes):
    """(N, 4) xyxy boxes -> (N,) areas."""
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


def box_iou(boxes1, boxes2):
    """(N, 4) and (M, 4) xyxy boxes -> (N, M) tensor: area of intersection / area of union."""
    top_left = torch.minimum(boxes1[:, None, :2], boxes2[None, :, :2])      # (N, M, 2)
    bottom_right = torch.maximum(boxes1[:, None, 2:], boxes2[None, :, 2:])  # (N, M, 2)
    sides = (bottom_right - top_left).clamp(min=0)  # no overlap along an axis -> 0, not < 0
    inter = sides[..., 0] * sides[..., 1]
    union = box_area(boxes1)[:, None] + box_area(boxes2)[None, :] - inter
    return inter / union


def nms(boxes, scores, iou_threshold):
    """Greedy non-maximum suppression: take the box with the best score, drop every other
    box whose IoU with it is ABOVE iou_threshold, repeat with the best remaining box.

    Returns an int64 tensor with the indices of the kept boxes, best score first.
    """
    order = torch.argsort(scores, descending=True, stable=True)
    ious = box_iou(boxes, boxes)
    removed = torch.zeros(len(boxes), dtype=torch.bool)
    keep = []
    for i in order.tolist():
        if removed[i]:
            continue
        keep.append(i)
        removed |= ious[i] > iou_threshold
    return torch.tensor(keep, dtype=torch.int64)


def _outline(boxes, size=24):
    """Draw box outlines on a size x size picture (value = box number + 1)."""
    canvas = torch.zeros(size, size)
    for k, (x1, y1, x2, y2) in enumerate(boxes.round().long().tolist()):
        canvas[y1:y2 + 1, x1] = canvas[y1:y2 + 1, x2] = k + 1
        canvas[y1, x1:x2 + 1] = canvas[y2, x1:x2 + 1] = k + 1
    return canvas


if __name__ == "__main__":
    # Press Run: five detections of two objects; NMS keeps one box per object.
    boxes = torch.tensor([[2.0, 3.0, 12.0, 13.0],    # object A, best guess
                          [3.0, 4.0, 13.0, 14.0],    # object A, shifted by one pixel
                          [1.0, 2.0, 11.0, 12.0],    # object A, again
                          [14.0, 8.0, 22.0, 20.0],   # object B
                          [15.0, 9.0, 22.0, 21.0]])  # object B, shifted
    scores = torch.tensor([0.9, 0.75, 0.6, 0.8, 0.7])
    print("IoU of every pair:")
    print(box_iou(boxes, boxes).numpy().round(2))
    keep = nms(boxes, scores, iou_threshold=0.5)
    print("kept boxes:", keep.tolist(), "with scores", [round(v, 2) for v in scores[keep].tolist()])
    report.plot("iou", box_iou(boxes, boxes), [f"box {i}" for i in range(5)], kind="matrix",
                title="IoU of every pair of detections")
    report.plot("before", _outline(boxes), kind="image", title="all 5 detections")
    report.plot("after", _outline(boxes[keep]), kind="image", title="after NMS at IoU 0.5")
