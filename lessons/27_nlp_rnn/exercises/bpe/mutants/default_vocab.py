"""Mutant: vocab_size is not passed to the trainer, which then uses its default of 30,000.

Subword tokens: train a byte-level BPE tokenizer with Hugging Face `tokenizers`."""

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
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tokenizer.train_from_iterator(texts, trainer=trainer)
    return tokenizer


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
