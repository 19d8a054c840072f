"""Check train_bpe: vocabulary size, exact round trips on held-out strings, and compression.

The tokenizer is trained on the first 180,000 characters of the corpus (chunks of 1,000) with
vocab_size = 1000, about a second. Round trips: held-out corpus text (indentation, newlines,
quotes), code with tabs, and characters that never occur in the training text (accents,
CJK, an emoji). Compression: held-out tokens per character on the 20,000 characters after the
training text. The reference gives 0.372 (training is deterministic, so every seed gives the
same tokenizer); 300 tokens give 0.58 and plain characters 1.0. We allow 0.45.
"""

from homl_tui.checks import expect_at_most, fail, require_function

VOCAB = 1000
MAX_RATIO = 0.45
UNSEEN = ["naïve café, Straße, ∑ x² ≥ 0", "日本語のテキスト", "emoji: 🙂🚀", "tab\there ✓"]


def _round_trip(tok, s):
    return tok.decode(tok.encode(s).ids)


def _diagnose(tok, s, what):
    out = _round_trip(tok, s)
    if out == s:
        return
    if any(sym in out and sym not in s for sym in ("Ġ", "Ċ", "ĉ")):
        fail(f"On {what}: decode(encode(s)) contains byte-level stand-ins such as 'Ġ' (a "
             "space) or 'Ċ' (a newline). The ByteLevel pre-tokenizer maps bytes to printable "
             "symbols; without the matching decoder, decode() cannot map them back.")
    covered = set()
    for start, end in tok.encode(s).offsets:
        covered.update(range(start, end))
    if any(c == " " and i not in covered for i, c in enumerate(s)):
        fail(f"On {what}: no token covers the spaces of the text, so decode() cannot bring "
             "them back. A Whitespace pre-tokenizer splits on whitespace and throws it away; "
             "a byte-level pre-tokenizer keeps every space inside the tokens.")
    if "".join(out.split()) == "".join(s.split()) and len(out) > len(s):
        fail(f"On {what}: decode(encode(s)) has extra spaces between tokens. Without a "
             "decoder, tokenizers joins the tokens with spaces: give the tokenizer the "
             "decoder that matches its pre-tokenizer.")
    lost = sorted({c for c in s if c not in out})
    if lost:
        fail(f"On {what}: characters vanished in the round trip (for example {lost[0]!r}). "
             "Bytes that never occur in the training text get no token unless the trainer "
             "starts from the full byte alphabet (initial_alphabet).")
    fail(f"On {what}: decode(encode(s)) is not the same string as s.")


def check(learner, ctx):
    train_bpe = require_function(learner, "train_bpe")
    text = ctx.reference.load_corpus(230_000)
    train_text, held_out = text[:180_000], text[180_000:200_000]
    texts = ctx.reference.chunks(train_text)
    tok = train_bpe(texts, VOCAB)
    for name in ("encode", "decode", "get_vocab_size"):
        if not callable(getattr(tok, name, None)):
            fail(f"`train_bpe` should return the trained tokenizers.Tokenizer; it returned a "
                 f"{type(tok).__name__} without a `{name}` method.")
    size = tok.get_vocab_size()
    if size > VOCAB:
        fail(f"With vocab_size={VOCAB} your tokenizer has {size} tokens: pass vocab_size to "
             "the BpeTrainer (its default is 30,000).")
    if size < 0.9 * VOCAB:
        fail(f"With vocab_size={VOCAB} your tokenizer has only {size} tokens: it stopped "
             "merging early. Pass vocab_size to the BpeTrainer (and keep min_frequency low).")

    cases = [("held-out corpus text", text[200_000 + 1000 * k:200_000 + 1000 * k + 600])
             for k in range(5)]
    cases.append(("code with indentation", "def f(x):\n\tif x:\n        return  x ** 2\n\n"))
    for what, s in cases:
        _diagnose(tok, s, what)
    for s in UNSEEN:
        _diagnose(tok, s, f"a string with characters the training text never has ({s!r})")

    ratio = len(tok.encode(held_out).ids) / len(held_out)
    expect_at_most("Held-out tokens per character", ratio, MAX_RATIO,
                   "The merges should make tokens of several characters: is the tokenizer "
                   "trained on `texts`, with the model BPE?", fmt=".3f")
    enc = tok.encode('The "for" statement is used to iterate over a sequence.')
    lengths = [len(t) for t in enc.tokens]
    ctx.report.plot("token lengths", lengths, enc.tokens, kind="bar",
                    title="characters per token in one sentence ('Ġ' is a space)")
