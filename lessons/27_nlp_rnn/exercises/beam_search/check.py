"""Check beam_search against an exhaustive search on tiny vocabularies, and against the
reference where the beam is narrow or the sequences long.

The scoring functions are random but fixed: the log-probabilities after a prefix come from a
NumPy generator seeded with (seed, length, *prefix), so every call with the same prefix gets
the same answer, whatever order the learner explores prefixes in. Exhaustive search lists
every sequence that ends with eos or reaches max_len (V = 4, max_len = 4: 4 + 12 + 36 + 108
+ 81 sequences) and picks the best score; a beam of 300 never prunes anything, so it must
find that same sequence. No thresholds: the results are exact.
"""

import itertools
import math

import numpy as np

from homl_tui.checks import fail, require_function


class Scorer:
    """next_log_probs for a random but fixed model with V ids; `eos_shift` moves eos's logit."""

    def __init__(self, V, seed, eos=0, eos_shift=0.0, spread=1.5):
        self.V, self.seed, self.eos, self.eos_shift, self.spread = V, seed, eos, eos_shift, spread
        self.cache = {}

    def __call__(self, prefix):
        key = tuple(int(t) for t in prefix)
        if key not in self.cache:
            rng = np.random.default_rng([self.seed, len(key), *key])
            logits = rng.normal(0.0, self.spread, self.V)
            logits[self.eos] += self.eos_shift
            self.cache[key] = logits - np.logaddexp.reduce(logits)
        return self.cache[key].copy()


def _log_prob(scorer, seq):
    return sum(float(scorer(seq[:i])[t]) for i, t in enumerate(seq))


def _exhaustive(scorer, eos, max_len, alpha):
    best, best_score = None, -math.inf
    others = [t for t in range(scorer.V) if t != eos]
    for length in range(1, max_len + 1):
        for body in itertools.product(others, repeat=length - 1):
            endings = [eos] + (others if length == max_len else [])
            for last in endings:
                seq = (*body, last)
                s = _log_prob(scorer, seq) / length ** alpha
                if s > best_score:
                    best, best_score = seq, s
    return best, best_score


def _greedy(scorer, eos, max_len):
    seq = ()
    while len(seq) < max_len and (not seq or seq[-1] != eos):
        seq += (int(np.argmax(scorer(seq))),)
    return seq


def _call(fn, scorer, eos, max_len, width, alpha):
    out = fn(scorer, eos, max_len, width, alpha)
    if not isinstance(out, tuple) or len(out) != 2:
        fail(f"`beam_search` should return a pair (sequence, score); it returned a "
             f"{type(out).__name__}.")
    seq, score = out
    try:
        seq = tuple(int(t) for t in seq)
        score = float(score)
    except (TypeError, ValueError):
        fail("`beam_search` should return (a tuple of int ids, a float score).")
    return seq, score


def _check_valid(seq, score, scorer, eos, max_len, alpha, where):
    if not seq:
        fail(f"{where}: the returned sequence is empty; it should hold at least one id.")
    if eos in seq[:-1]:
        fail(f"{where}: the returned sequence has eos in the middle (at position "
             f"{seq.index(eos)}). A sequence that emits eos is finished: set it aside and do "
             "not extend it any further.")
    if len(seq) > max_len:
        fail(f"{where}: the returned sequence has {len(seq)} ids; max_len is {max_len}.")
    if seq[-1] != eos and len(seq) < max_len:
        fail(f"{where}: the returned sequence stops before max_len without ending in eos.")
    if not math.isfinite(score):
        fail(f"{where}: the returned score is {score}. If you multiply probabilities, the "
             "product of many numbers below 1 underflows to 0.0 (and its log to -inf): add "
             "log-probabilities instead.")
    true = _log_prob(scorer, seq) / len(seq) ** alpha
    if abs(score - true) > 1e-6 * max(1.0, abs(true)):
        fail(f"{where}: the returned score is {score:.6g}, but the returned sequence's "
             "log-probability divided by len(sequence) ** alpha is different. The "
             "log-probability of a sequence is the sum of its ids' log-probabilities, each "
             "given the prefix before it.")


def _first(seed, eos_shift, alpha, wanted):
    """The first random model (from seed on) on which `wanted(scorer)` holds."""
    for k in range(200):
        scorer = Scorer(4, seed + k, eos_shift=eos_shift)
        if wanted(scorer):
            return scorer
    raise RuntimeError("no such model")  # never reached with these settings


def _wide_cases(s):
    """Models chosen so that each mistake shows: the best sequence ends early with eos; greedy
    decoding misses the best sequence; length normalisation changes the winner."""
    early = _first(s, 1.0, 0.0, lambda sc: len(_exhaustive(sc, 0, 4, 0.0)[0]) <= 2)
    trap = _first(s + 300, 0.0, 0.0, lambda sc: _exhaustive(sc, 0, 4, 0.0)[0] != _greedy(sc, 0, 4))
    norm = _first(s + 600, 0.0, 0.75,
                  lambda sc: _exhaustive(sc, 0, 4, 0.75)[0] != _exhaustive(sc, 0, 4, 0.0)[0])
    return [("early eos", early, 0.0), ("greedy trap", trap, 0.0), ("alpha", norm, 0.75),
            ("plain", Scorer(4, s + 900), 1.0)]


def check(learner, ctx):
    fn = require_function(learner, "beam_search")
    s = ctx.seed * 1000

    for _kind, scorer, alpha in _wide_cases(s):
        where = f"With V=4, max_len=4, beam_width=300 (wide enough to keep every prefix), " \
                f"alpha={alpha}"
        seq, score = _call(fn, scorer, 0, 4, 300, alpha)
        _check_valid(seq, score, scorer, 0, 4, alpha, where)
        best, best_score = _exhaustive(scorer, 0, 4, alpha)
        if score >= best_score - 1e-9:
            continue
        if seq == _greedy(scorer, 0, 4):
            fail(f"{where}: you returned the greedy answer (the most likely id at every "
                 "step), but a better sequence exists. Keep the beam_width best extensions at "
                 "every step, not only the best one.")
        if alpha > 0 and _log_prob(scorer, seq) >= _exhaustive(scorer, 0, 4, 0.0)[1] - 1e-9:
            fail(f"{where}: you returned the sequence with the best raw log-probability, "
                 "but the score to maximise is log_prob / len(sequence) ** alpha: with "
                 "alpha > 0, a long sequence is not beaten by a short one just because it "
                 "adds more (negative) log-probabilities.")
        if best[-1] == 0 and len(best) < len(seq):
            fail(f"{where}: a sequence that ended early with eos scores better than the one "
                 "you returned. An extension that ends with eos is finished: set it aside "
                 "(it grows no further) and compare it with the live ones at the end.")
        fail(f"{where}: a sequence with a better score exists than the one you returned, "
             "although nothing should be pruned at this width. Are finished sequences kept, "
             "and compared with the live ones at the end?")

    for k in range(6):
        scorer = Scorer(6, s + 10 + k, eos_shift=-0.3)
        where = f"With V=6, max_len=6, beam_width=3 (random model #{k + 1})"
        seq, score = _call(fn, scorer, 0, 6, 3, 0.0)
        _check_valid(seq, score, scorer, 0, 6, 0.0, where)
        want, _ = ctx.reference.beam_search(scorer, 0, 6, 3, 0.0)
        if seq != want:
            if seq == _greedy(scorer, 0, 6):
                fail(f"{where}: you returned the greedy answer. Keep beam_width prefixes.")
            fail(f"{where}: your result differs from the beam search the docstring describes. "
                 "Keep the beam_width best extensions over ALL live prefixes (not per prefix), "
                 "ranked by summed log-probability; set finished ones aside.")

    scorer = Scorer(20, s + 99, eos=0, eos_shift=-30.0, spread=0.5)
    where = "With V=20, max_len=500, beam_width=3 (sequences of 500 ids, each about 1/20 likely)"
    seq, score = _call(fn, scorer, 0, 500, 3, 0.0)
    if not math.isfinite(score) or seq != ctx.reference.beam_search(scorer, 0, 500, 3, 0.0)[0]:
        fail(f"{where}: your result is wrong, although the short searches were right. The "
             "probability of 500 such ids is about 1e-650, far below the smallest float64, so "
             "multiplied probabilities underflow to 0.0 and every beam looks the same. Add "
             "log-probabilities instead of multiplying probabilities.")
    _check_valid(seq, score, scorer, 0, 500, 0.0, where)
