"""Subword tokens: train a byte-level BPE tokenizer with Hugging Face `tokenizers`.

Byte-pair encoding starts from single symbols and repeatedly merges the most frequent
adjacent pair into a new token, until the vocabulary has the size you asked for. Byte-level
BPE starts from the 256 possible bytes, so it can encode any string, in any script.
Press Run to train four vocabulary sizes and see how many tokens the held-out text needs.
"""

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

from homl_tui import report


def load_corpus(n_chars=200_000):
    """A fixed slice of the help pages that ship with Python (what `help("assert")` shows)."""
    from pydoc_data.topics import topics

    return "\n".join(topics[name] for name in sorted(topics))[:n_chars]


def chunks(text, size=1000):
    """The text cut into pieces of `size` characters (the trainer reads an iterator of strings)."""
    return [text[i:i + size] for i in range(0, len(text), size)]


def train_bpe(texts, vocab_size):
    """A byte-level BPE tokenizer trained on the strings `texts`, with at most `vocab_size`
    tokens, such that tokenizer.decode(tokenizer.encode(s).ids) == s for ANY string s."""
    tokenizer = Tokenizer(models.BPE())
    # TODO 1: a pre-tokenizer that maps the text to bytes and keeps every space and newline:
    #         pre_tokenizers.ByteLevel(add_prefix_space=False).
    # TODO 2: the decoder that undoes it (decoders.ByteLevel()), or decode() gives back
    #         the byte-level symbols joined with spaces.
    # TODO 3: a trainers.BpeTrainer with vocab_size=vocab_size, show_progress=False and
    #         initial_alphabet=pre_tokenizers.ByteLevel.alphabet() (all 256 bytes, so that
    #         characters missing from the training text can still be encoded).
    # TODO 4: tokenizer.train_from_iterator(texts, trainer=trainer), then return it.
    raise NotImplementedError("train_bpe: fill in the TODOs")


if __name__ == "__main__":
    text = load_corpus()
    train_text, held_out = text[:180_000], text[180_000:]
    sizes, ratios = [], []
    for vocab_size in (300, 500, 1000, 2000):
        tok = train_bpe(chunks(train_text), vocab_size)
        n_tokens = len(tok.encode(held_out).ids)
        sizes.append(vocab_size)
        ratios.append(n_tokens / len(held_out))
        print(f"vocab {tok.get_vocab_size():5d}: {n_tokens:6d} tokens for {len(held_out)} "
              f"held-out characters ({ratios[-1]:.3f} tokens per character)")
    sample = 'The "for" statement is used to iterate over the elements of a sequence.'
    enc = tok.encode(sample)
    print("\ntokens:", enc.tokens)
    print("ids:   ", enc.ids)
    print("round trip:", tok.decode(enc.ids) == sample)
    print("unseen characters:", tok.decode(tok.encode("naïve ✓ 日本").ids))
    report.plot("compression", ratios, sizes, kind="line",
                title="held-out tokens per character against vocabulary size",
                xlabel="vocab_size", ylabel="tokens per character")
