# Mistake: raw dot products instead of cosine similarities.

import torch
import torch.nn.functional as F


def clip_loss(image_emb, text_emb, temperature=0.07):
    """Mean of the two cross-entropies of the (B, B) cosine-similarity matrix divided by the
    temperature: each image must pick its own text among the B texts, and each text its own
    image. Pair i is (image_emb[i], text_emb[i])."""
    logits = image_emb @ text_emb.T / temperature     # row i: image i against every text
    targets = torch.arange(len(logits), device=logits.device)   # the diagonal is right
    image_to_text = F.cross_entropy(logits, targets)
    text_to_image = F.cross_entropy(logits.T, targets)
    return (image_to_text + text_to_image) / 2
