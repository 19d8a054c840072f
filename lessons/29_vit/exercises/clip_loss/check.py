"""Check clip_loss(image_emb, text_emb, temperature): the symmetric InfoNCE loss of CLIP.

Seeded cases (float32 and float64, batch 2 to 33, dimension 3 to 64, embeddings of very
different lengths, temperatures 0.07 to 1) are compared with the reference (rtol 1e-4 in
float32, 1e-9 in float64), then the gradients with respect to both inputs (autograd must reach
them). When a case fails, the common wrong versions (one direction only, no normalisation,
temperature multiplied, a sum over the batch or over the two directions, normalising the wrong
axis) are computed too, so the message can name the mistake.
"""

import torch
import torch.nn.functional as F

from homl_tui.checks import CheckFailed, describe, expect_close, expect_type, fail, require_function


def _ce(logits, reduction="mean"):
    targets = torch.arange(len(logits))
    return F.cross_entropy(logits, targets, reduction=reduction)


def _variants(a, b, t):
    na, nb = F.normalize(a, dim=-1), F.normalize(b, dim=-1)
    logits = na @ nb.T / t
    raw = a @ b.T / t
    return {
        "one direction": [_ce(logits), _ce(logits.T)],
        "no normalisation": [(_ce(raw) + _ce(raw.T)) / 2],
        "temperature multiplied": [(_ce(na @ nb.T * t) + _ce((na @ nb.T * t).T)) / 2],
        "summed over the batch": [(_ce(logits, "sum") + _ce(logits.T, "sum")) / 2],
        "both directions added": [_ce(logits) + _ce(logits.T)],
        "normalised along the batch": [
            (_ce(F.normalize(a, dim=0) @ F.normalize(b, dim=0).T / t)
             + _ce((F.normalize(a, dim=0) @ F.normalize(b, dim=0).T / t).T)) / 2],
    }


ADVICE = {
    "one direction": "Your loss only asks each image to find its text (or only each text its "
                     "image). CLIP's loss is symmetric: average the cross-entropy over the "
                     "rows of the similarity matrix and the one over its columns.",
    "no normalisation": "Your loss changes when the embeddings are made longer or shorter, "
                        "because it uses raw dot products. CLIP compares directions: normalise "
                        "each embedding to length 1 (cosine similarity) first.",
    "temperature multiplied": "The temperature multiplies the similarities. It should divide "
                              "them: a small temperature makes the softmax sharper, which "
                              "means larger logits.",
    "summed over the batch": "Your loss grows with the batch size: it sums the cross-entropy "
                             "over the pairs. Take the mean, as F.cross_entropy does by "
                             "default.",
    "both directions added": "Your loss adds the two directions. Average them (divide by 2), "
                             "so the loss stays on the scale of one cross-entropy.",
    "normalised along the batch": "The embeddings were normalised along the wrong axis (over "
                                  "the batch). Each embedding vector, one row, should have "
                                  "length 1: normalise along the last axis.",
}


def _one_case(fn, ref, a, b, t, number, rtol):
    where = f"On test input #{number} (image_emb: {describe(a)}, text_emb: {describe(b)}, " \
            f"temperature={t})"
    label = "clip_loss(image_emb, text_emb, temperature)"
    a_in, b_in = a.clone().requires_grad_(True), b.clone().requires_grad_(True)
    got = fn(a_in, b_in, t)
    try:
        expect_type(label, got, torch.Tensor, "torch.Tensor (keep it a tensor, so that "
                                              "backward() works)")
        if got.numel() != 1:
            fail(f"`{label}` has shape {tuple(got.shape)}; it should be a single number (a "
                 "0-d tensor): the mean over the pairs.")
        expected = ref(a, b, t)
        try:
            expect_close(label, got.detach().reshape(()), expected, rtol=rtol, atol=rtol)
        except CheckFailed:
            value = got.detach().reshape(())
            for mistake, candidates in _variants(a, b, t).items():
                if any(torch.allclose(value, c.to(value.dtype), rtol=rtol, atol=rtol)
                       for c in candidates):
                    fail(ADVICE[mistake])
            raise
        if not got.requires_grad:
            fail(f"`{label}` does not depend on the inputs through autograd (it has no "
                 "gradient). Compute it with torch operations only, no .item(), .numpy() "
                 "or torch.tensor(...) re-wrapping.")
        got.backward()
        a_ref, b_ref = a.clone().requires_grad_(True), b.clone().requires_grad_(True)
        ref(a_ref, b_ref, t).backward()
        for name, mine, theirs in (("image_emb", a_in.grad, a_ref.grad),
                                   ("text_emb", b_in.grad, b_ref.grad)):
            if mine is None:
                fail(f"No gradient reached `{name}`: the loss must be built from it with "
                     "torch operations.")
            expect_close(f"the gradient of the loss with respect to {name}", mine, theirs,
                         rtol=rtol * 10, atol=rtol * 10)
    except CheckFailed as exc:
        fail(f"{where}: {exc.message}")


def check(learner, ctx):
    fn = require_function(learner, "clip_loss")
    ref = ctx.reference.clip_loss
    g = torch.Generator().manual_seed(ctx.seed + 9)

    def emb(n, d, dtype=torch.float32, scale=1.0):
        x = torch.randn(n, d, generator=g, dtype=torch.float64)
        lengths = torch.exp(torch.randn(n, 1, generator=g, dtype=torch.float64))
        return (scale * x * lengths).to(dtype)

    cases = []
    a = emb(8, 16)
    cases.append((a, a + 0.3 * emb(8, 16), 0.07, 1e-4))       # matched pairs, CLIP's t
    cases.append((emb(5, 3, scale=10.0), emb(5, 3, scale=0.1), 0.5, 1e-4))
    cases.append((emb(33, 64), emb(33, 64), 1.0, 1e-4))
    cases.append((emb(2, 4, torch.float64), emb(2, 4, torch.float64), 0.2, 1e-9))
    b = emb(12, 10, torch.float64)
    cases.append((b + 0.5 * emb(12, 10, torch.float64), 3 * b, 0.1, 1e-9))
    for number, (a, b, t, rtol) in enumerate(cases, start=1):
        _one_case(fn, ref, a, b, t, number, rtol)
