"""Mutant: the shift goes the wrong way: the inputs start one position later than the targets.

Training pairs for a language model: inputs, and the same text shifted by one."""

import torch

from homl_tui import report


def load_corpus(n_chars=200_000):
    """A fixed slice of the help pages that ship with Python (what `help("assert")` shows)."""
    from pydoc_data.topics import topics

    return "\n".join(topics[name] for name in sorted(topics))[:n_chars]


def make_pairs(ids, seq_len):
    """Cut a 1-D tensor of ids into non-overlapping (input, target) rows.

    Returns X and Y, both of shape (n, seq_len) with n = (len(ids) - 1) // seq_len:
    X[k] = ids[k * seq_len : (k + 1) * seq_len] and Y[k] is the same window moved one
    position to the right, so Y[k, t] is the id that follows X[k, t] in the text.
    """
    n = (len(ids) - 1) // seq_len
    X = ids[1: n * seq_len + 1].reshape(n, seq_len)
    Y = ids[: n * seq_len].reshape(n, seq_len)
    return X, Y


def sample_batch(X, Y, batch_size, generator):
    """batch_size random rows of X and the matching rows of Y (drawn with replacement,
    from `generator`)."""
    rows = torch.randint(0, len(X), (batch_size,), generator=generator)
    return X[rows], Y[rows]


if __name__ == "__main__":
    text = load_corpus()
    chars = sorted(set(text))
    stoi = {ch: i for i, ch in enumerate(chars)}
    ids = torch.tensor([stoi[ch] for ch in text], dtype=torch.long)

    X, Y = make_pairs(ids, seq_len=32)
    print(f"{len(ids):,} ids -> X and Y of shape {tuple(X.shape)}")
    for k in range(2):
        print(f"X[{k}]:", repr("".join(chars[i] for i in X[k])))
        print(f"Y[{k}]:", repr("".join(chars[i] for i in Y[k])))
    g = torch.Generator().manual_seed(0)
    Xb, Yb = sample_batch(X, Y, 4, g)
    print("a random batch:", tuple(Xb.shape), tuple(Yb.shape))
    for x, y in zip(Xb[:, :12], Yb[:, :12], strict=True):
        print("  ", repr("".join(chars[i] for i in x)), "->", repr("".join(chars[i] for i in y)))
    lengths = torch.arange(1, 33)
    report.plot("context per target", lengths, lengths, kind="bar",
                title="how many characters the model has seen before each target of a row")
