"""Sampling the next token with a temperature.

A language model gives logits for the next token. Dividing them by a temperature T before the
softmax reshapes the distribution: T < 1 sharpens it (safer, more repetitive text), T > 1
flattens it (more surprising, more mistakes), T = 1 leaves it as the model learned it.
Press Run to sample from a character-pair model of the corpus at three temperatures.
"""

import torch

from homl_tui import report


def sample_with_temperature(logits, temperature, generator):
    """One sampled id per row of `logits` (a float tensor of shape (batch, V)).

    Row i is drawn from softmax(logits[i] / temperature) with `generator`; temperature > 0.
    Returns an int64 tensor of shape (batch,).
    """
    # TODO 1: turn the scaled logits into probabilities along the last axis (torch.softmax
    #         is safe for very large values; a hand-written exp is not).
    # TODO 2: draw one id per row with torch.multinomial(probs, 1, generator=generator)
    #         and drop the trailing axis of size 1.
    raise NotImplementedError("sample_with_temperature: fill in the TODOs")


# ---- Done for you: a tiny "language model" to sample from, without any training. ----

def load_corpus(n_chars=200_000):
    """A fixed slice of the help pages that ship with Python (what `help("assert")` shows)."""
    from pydoc_data.topics import topics

    return "\n".join(topics[name] for name in sorted(topics))[:n_chars]


def bigram_logits(text):
    """(V, V) logits: row a scores every character that may follow character a, from counts."""
    chars = sorted(set(text))
    stoi = {ch: i for i, ch in enumerate(chars)}
    ids = torch.tensor([stoi[ch] for ch in text])
    counts = torch.zeros(len(chars), len(chars))
    counts.index_put_((ids[:-1], ids[1:]), torch.ones(len(ids) - 1), accumulate=True)
    return torch.log(counts + 0.01), chars, stoi


if __name__ == "__main__":
    logits, chars, stoi = bigram_logits(load_corpus())
    for temperature in (0.3, 1.0, 1.5):
        g = torch.Generator().manual_seed(0)
        current, out = stoi["T"], ["T"]
        for _ in range(150):
            current = int(sample_with_temperature(logits[current][None], temperature, g)[0])
            out.append(chars[current])
        print(f"--- temperature {temperature} ---\n{''.join(out)}\n")
        probs = torch.softmax(logits[stoi["t"]] / temperature, dim=-1)
        top = probs.argsort(descending=True)[:10]
        report.plot(f"after 't', T={temperature}", probs[top], [repr(chars[i]) for i in top],
                    kind="bar", title=f"next-character probabilities after 't' at T={temperature}")
