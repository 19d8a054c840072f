"""Reference solution: CLIP's symmetric contrastive loss (InfoNCE in both directions)."""

import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from torch import nn

from homl_tui import report
from homl_tui.runtime.device import default_device


def clip_loss(image_emb, text_emb, temperature=0.07):
    """Mean of the two cross-entropies of the (B, B) cosine-similarity matrix divided by the
    temperature: each image must pick its own text among the B texts, and each text its own
    image. Pair i is (image_emb[i], text_emb[i])."""
    image_emb = F.normalize(image_emb, dim=-1)        # unit vectors: dot product = cosine
    text_emb = F.normalize(text_emb, dim=-1)
    logits = image_emb @ text_emb.T / temperature     # row i: image i against every text
    targets = torch.arange(len(logits), device=logits.device)   # the diagonal is right
    image_to_text = F.cross_entropy(logits, targets)
    text_to_image = F.cross_entropy(logits.T, targets)
    return (image_to_text + text_to_image) / 2


def two_views():
    """Digits cut in two: the left half (8x4 pixels) and the right half of each image play the
    roles of an image and its caption. Returns (left, right) training pairs and
    (left, right, labels) held-out ones, pixels scaled to [0, 1]."""
    digits = load_digits()
    images = torch.tensor(digits.images, dtype=torch.float32) / 16.0
    order = torch.randperm(len(images), generator=torch.Generator().manual_seed(0))
    left, right = images[order, :, :4].flatten(1), images[order, :, 4:].flatten(1)
    labels = torch.tensor(digits.target)[order]
    return (left[:1400], right[:1400]), (left[1400:], right[1400:], labels[1400:])


def encoder():
    return nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 16))


if __name__ == "__main__":
    torch.manual_seed(0)
    device = default_device()
    (left, right), (left_test, right_test, labels) = two_views()
    f, g = encoder().to(device), encoder().to(device)
    optimizer = torch.optim.Adam([*f.parameters(), *g.parameters()], lr=3e-3)
    gen = torch.Generator().manual_seed(0)
    steps, batch, temperature = 600, 128, 0.1
    for step in range(steps):
        idx = torch.randint(len(left), (batch,), generator=gen)
        loss = clip_loss(f(left[idx].to(device)), g(right[idx].to(device)), temperature)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        report.metric(step=step, loss=loss.item())
        if (step + 1) % 60 == 0:
            report.progress(step + 1, steps)
    with torch.no_grad():
        a = F.normalize(f(left_test.to(device)), dim=-1).cpu()
        b = F.normalize(g(right_test.to(device)), dim=-1).cpu()
    sims = a @ b.T                                   # every left half against every right half
    best = sims.argmax(1)
    top1 = (best == torch.arange(len(a))).float().mean().item()
    top5 = (sims.topk(5, dim=1).indices == torch.arange(len(a))[:, None]).any(1).float().mean()
    same_digit = (labels[best] == labels).float().mean().item()
    print(f"{len(a)} held-out digits. For each left half, the closest of the {len(a)} right "
          f"halves is its own in {top1:.0%} of cases (top-5: {top5.item():.0%}; chance: "
          f"{1 / len(a):.1%}),\nand a half of the same digit in {same_digit:.0%} of cases: "
          "no label was used in training.")
    report.plot("similarities", sims[:8, :8], [str(i) for i in range(8)], kind="matrix",
                title="cosine similarity, 8 held-out pairs: the diagonal should stand out",
                xlabel="right half", ylabel="left half")
