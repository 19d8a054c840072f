"""Check sample_with_temperature by the frequencies of many seeded samples.

For one row of logits repeated N = 20,000 times, the observed frequency of each id must be
within 5 standard errors (sqrt(p (1 - p) / N)) + 0.002 of softmax(logits / T), at T = 1, 0.5
and 2. For a wrong answer the message names the distribution the samples follow instead
(the most likely id only; softmax(logits * T); softmax(logits) whatever T). Over ctx.seed 0-19
the reference's largest deviation used at most 49% of this allowance (a seeded generator makes
each run exactly repeatable). Then: each row is sampled from its own logits; the generator
passed in is used (not torch's global one); and logits / T of about 100 do not overflow.
"""

import torch

from homl_tui.checks import fail, require_function

N = 20_000
LOGITS = torch.tensor([2.0, 1.0, 0.5, 0.0, -1.0, -3.0])


def _draw(fn, logits, temperature, seed):
    out = fn(logits, temperature, torch.Generator().manual_seed(seed))
    if not isinstance(out, torch.Tensor):
        fail(f"`sample_with_temperature` returned a {type(out).__name__}; return a tensor of ids.")
    if tuple(out.shape) != (logits.shape[0],):
        fail(f"For logits of shape {tuple(logits.shape)} the result has shape "
             f"{tuple(out.shape)}; it should hold one id per row, shape ({logits.shape[0]},). "
             "torch.multinomial(probs, 1) returns (batch, 1): squeeze the last axis.")
    if out.dtype != torch.long:
        fail(f"The sampled ids have dtype {str(out.dtype).replace('torch.', '')}; they should "
             "be int64 (torch.multinomial returns int64).")
    return out


def _check_frequencies(fn, temperature, seed):
    V = len(LOGITS)
    samples = _draw(fn, LOGITS.repeat(N, 1), temperature, seed)
    if samples.min() < 0 or samples.max() >= V:
        fail(f"Some sampled ids are outside 0..{V - 1}.")
    freq = torch.bincount(samples, minlength=V).double() / N
    target = torch.softmax(LOGITS.double() / temperature, dim=-1)
    allowed = 5 * (target * (1 - target) / N).sqrt() + 0.002
    if ((freq - target).abs() <= allowed).all():
        return
    where = f"At temperature {temperature:g}"
    if freq[0] == 1.0:
        fail(f"{where}, every sample is the most likely id: that is greedy decoding (argmax), "
             "not sampling. Draw from the probabilities with torch.multinomial.")
    others = {
        "softmax(logits * T)": torch.softmax(LOGITS.double() * temperature, dim=-1),
        "softmax(logits), ignoring T": torch.softmax(LOGITS.double(), dim=-1),
    }
    for name, dist in others.items():
        if ((freq - dist).abs() <= 5 * (dist * (1 - dist) / N).sqrt() + 0.002).all():
            if "*" in name:
                fail(f"{where}, your samples follow {name}: you multiply the logits by the "
                     "temperature. Then a high temperature sharpens the distribution instead of "
                     "flattening it. Divide the logits by T.")
            fail(f"{where}, your samples follow {name}: the temperature has no effect.")
    worst = int((freq - target).abs().argmax())
    fail(f"{where}, id {worst} was drawn with frequency {float(freq[worst]):.4f} over {N} "
         "samples of the same row, which is not what softmax(logits / T) gives it.")


def check(learner, ctx):
    fn = require_function(learner, "sample_with_temperature")
    seed = ctx.seed + 100
    for temperature in (1.0, 0.5, 2.0):
        _check_frequencies(fn, temperature, seed)

    rows = torch.full((4, 5), -20.0)
    rows[torch.arange(4), torch.tensor([3, 0, 4, 1])] = 20.0
    picked = _draw(fn, rows.repeat(50, 1), 1.0, seed)
    if not torch.equal(picked, torch.tensor([3, 0, 4, 1]).repeat(50)):
        fail("With a batch of different rows, some samples did not come from their own row's "
             "distribution: apply the softmax along the last axis (dim=-1) and draw one id "
             "per row.")

    torch.manual_seed(1)
    first = _draw(fn, LOGITS.repeat(200, 1), 1.0, seed)
    torch.manual_seed(2)
    again = _draw(fn, LOGITS.repeat(200, 1), 1.0, seed)
    if not torch.equal(first, again):
        fail("Two calls with generators seeded the same way gave different samples: pass "
             "`generator` to torch.multinomial instead of using torch's global generator, so "
             "that generation can be repeated exactly.")
    if torch.equal(first, _draw(fn, LOGITS.repeat(200, 1), 1.0, seed + 1)):
        fail("Generators with different seeds gave the same samples: draw from `generator`.")

    big = torch.tensor([[5.0, 4.0, -3.0, 0.0], [-3.0, 0.0, 3.9, 5.0]])
    try:
        cold = _draw(fn, big.repeat(100, 1), 0.05, seed)
    except RuntimeError as exc:
        fail(f"At temperature 0.05, with logits up to 5, sampling raised \"{exc}\". logits / T "
             "reaches 100 and exp(100) overflows float32 to inf (inf / inf is NaN). Use "
             "torch.softmax, which subtracts the maximum first.")
    if not torch.equal(cold, torch.tensor([0, 3]).repeat(100)):
        fail("At temperature 0.05 almost all the probability is on each row's largest logit, "
             "but your samples often picked another id.")
    V = len(LOGITS)
    bars = [torch.softmax(LOGITS / t, dim=-1) for t in (0.5, 1.0, 2.0)]
    ctx.report.plot("softmax(logits / T)", bars[0], [f"id {i}" for i in range(V)], kind="bar",
                    title="T = 0.5: sharper than T = 1; T = 2 is flatter")
