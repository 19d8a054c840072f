"""Mutant: finished sequences are not set aside: they stay live and keep growing after eos.

Beam search over a next-token scoring function."""

import numpy as np

from homl_tui import report


def beam_search(next_log_probs, eos, max_len, beam_width, alpha=0.0):
    """Search for the sequence of ids with the best score; return (sequence, score).

    next_log_probs(prefix) takes a tuple of ids and returns the log-probabilities of every
    possible next id (a 1-D NumPy array of length V). A sequence ends when it emits `eos`
    (kept as its last id) or when it has max_len ids. Its log-probability is the SUM of the
    log-probabilities of its ids, and its score is log_prob / len(sequence) ** alpha.

    The search: start with one live prefix, the empty tuple (). At every step, extend every
    live prefix by every id, and keep the beam_width extensions with the highest
    log-probability; those that end with eos are finished and set aside, the others stay
    live. Stop after max_len steps, or earlier when no prefix is live. Return the finished or
    live sequence with the highest score, as a tuple of ints, and that score (a float).
    """
    live = [((), 0.0)]
    finished = []
    for _ in range(max_len):
        candidates = []
        for seq, log_prob in live:
            scores = next_log_probs(seq)
            for token, s in enumerate(scores):
                candidates.append((seq + (token,), log_prob + float(s)))
        candidates.sort(key=lambda c: c[1], reverse=True)
        live = []
        for seq, log_prob in candidates[:beam_width]:
            live.append((seq, log_prob))
        if not live:
            break

    def score(candidate):
        seq, log_prob = candidate
        return log_prob / len(seq) ** alpha

    best = max(finished + live, key=score)
    return best[0], score(best)


# ---- Done for you: a toy "model" to search, where greedy decoding goes wrong. ----

WORDS = ["<eos>", "the", "a", "cat", "dog", "sat", "ran", "."]


def toy_model(prefix):
    """Log-probabilities of the next word given the previous one (a small bigram table)."""
    table = {
        None: {"the": 0.55, "a": 0.45},
        "the": {"cat": 0.4, "dog": 0.35, "<eos>": 0.25},
        "a": {"dog": 0.9, "cat": 0.1},
        "cat": {"sat": 0.5, "ran": 0.5},
        "dog": {"sat": 0.9, "ran": 0.1},
        "sat": {".": 1.0},
        "ran": {".": 1.0},
        ".": {"<eos>": 1.0},
    }
    last = WORDS[prefix[-1]] if prefix else None
    probs = np.full(len(WORDS), 1e-9)
    for word, p in table[last].items():
        probs[WORDS.index(word)] = p
    return np.log(probs / probs.sum())


if __name__ == "__main__":
    for width in (1, 2, 3):
        seq, score = beam_search(toy_model, eos=0, max_len=6, beam_width=width)
        words = " ".join(WORDS[t] for t in seq)
        print(f"beam_width={width}: {words!r}  log-prob {score:.3f}  "
              f"(probability {np.exp(score):.3f})")
    rng = np.random.default_rng(0)
    table = np.log(rng.dirichlet(np.ones(20), size=20))
    seq, score = beam_search(lambda p: table[p[-1] if p else 0], eos=-1, max_len=600,
                             beam_width=3)
    print(f"\n600 tokens from a random bigram table: log-prob {score:.1f} "
          f"(probability about 10^{score / np.log(10):.0f}, far below the smallest float64)")
    widths = [1, 2, 3, 4, 6, 8]
    found = [beam_search(toy_model, 0, 6, w)[1] for w in widths]
    report.plot("best log-prob by beam width", found, widths, kind="line",
                title="what the search finds on the toy model", xlabel="beam_width",
                ylabel="log-probability")
