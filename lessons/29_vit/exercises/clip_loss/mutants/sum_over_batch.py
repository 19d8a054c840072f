# Mistake: cross-entropy summed over the pairs instead of averaged.

import torch
import torch.nn.functional as F


def clip_loss(image_emb, text_emb, temperature=0.07):
    """Mean of the two cross-entropies of the (B, B) cosine-similarity matrix divided by the
    temperature: each image must pick its own text among the B texts, and each text its own
    image. Pair i is (image_emb[i], text_emb[i])."""
    image_emb = F.normalize(image_emb, dim=-1)        # unit vectors: dot product = cosine
    text_emb = F.normalize(text_emb, dim=-1)
    logits = image_emb @ text_emb.T / temperature     # row i: image i against every text
    targets = torch.arange(len(logits), device=logits.device)   # the diagonal is right
    image_to_text = F.cross_entropy(logits, targets, reduction="sum")
    text_to_image = F.cross_entropy(logits.T, targets, reduction="sum")
    return (image_to_text + text_to_image) / 2
