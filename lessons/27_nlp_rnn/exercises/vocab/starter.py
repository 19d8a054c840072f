"""Characters as tokens: a vocabulary, and text to ids and back.

A language model never sees letters, only integers. Here you turn text into ids and back:
  build_vocab(text) -> (chars, stoi)   chars: the distinct characters, sorted;
                                       stoi:  {character: its position in chars}
  encode(text, stoi) -> a 1-D int64 tensor of ids
  decode(ids, chars) -> the text again
Press Run to build the vocabulary of the lesson's corpus (Python's own help pages).
"""

import torch

from homl_tui import report


def load_corpus(n_chars=200_000):
    """A fixed slice of the help pages that ship with Python (what `help("assert")` shows)."""
    from pydoc_data.topics import topics

    return "\n".join(topics[name] for name in sorted(topics))[:n_chars]


def build_vocab(text):
    """Return (chars, stoi): the distinct characters of `text` in sorted order, and the
    dict that maps each character to its position in that list (ids 0 .. len(chars) - 1)."""
    # TODO 1: the distinct characters of `text`, as a sorted list (a set has no stable order).
    # TODO 2: stoi maps chars[i] -> i, so ids run from 0 to len(chars) - 1.
    raise NotImplementedError("build_vocab: fill in the TODOs")


def encode(text, stoi):
    """The ids of the characters of `text`: a 1-D int64 tensor of length len(text)."""
    # TODO 3: look every character up in stoi; return torch.tensor(..., dtype=torch.long).
    raise NotImplementedError("encode: fill in the TODO")


def decode(ids, chars):
    """The text whose characters have these ids (`ids`: a tensor or a list of ints)."""
    # TODO 4: the character of every id, joined into one string.
    raise NotImplementedError("decode: fill in the TODO")


if __name__ == "__main__":
    text = load_corpus()
    chars, stoi = build_vocab(text)
    print(f"{len(text):,} characters of text, {len(chars)} distinct ones")
    print("the vocabulary:", repr("".join(chars)))
    sample = text[:60]
    ids = encode(sample, stoi)
    print("text:   ", repr(sample))
    print("ids:    ", ids[:20].tolist(), "...")
    print("decoded:", repr(decode(ids, chars)))
    print("round trip ok:", decode(encode(text, stoi), chars) == text)
    counts = torch.bincount(encode(text, stoi), minlength=len(chars))
    top = counts.argsort(descending=True)[:15]
    report.plot("most frequent characters", counts[top], [repr(chars[i]) for i in top],
                kind="bar", title="the 15 most frequent characters of the corpus")
