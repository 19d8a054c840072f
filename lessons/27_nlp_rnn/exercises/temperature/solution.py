"""Sampling the next token with a temperature."""

import torch

from homl_tui import report


def sample_with_temperature(logits, temperature, generator):
    """One sampled id per row of `logits` (a float tensor of shape (batch, V)).

    Row i is drawn from softmax(logits[i] / temperature) with `generator`; temperature > 0.
    Returns an int64 tensor of shape (batch,).
    """
    probs = torch.softmax(logits / temperature, dim=-1)
    return torch.multinomial(probs, 1, generator=generator).squeeze(-1)


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
