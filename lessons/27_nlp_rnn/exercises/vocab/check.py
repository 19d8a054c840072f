"""Check build_vocab, encode and decode on the corpus and on seeded random strings.

Order of the checks: the vocabulary (every distinct character once, sorted, ids 0..V-1 that
agree with `chars`), then encode against the reference vocabulary (int64, one id per
character), then decode, then the round trip with the learner's own vocabulary. No training,
so no thresholds; the check takes well under a second after the imports.
"""

import torch

from homl_tui.checks import fail, require_function

ALPHABET = list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 \n\t.,:;()[]{}\"'-_=+*/é—“”✓")


def _random_text(rng, n):
    letters = rng.permutation(ALPHABET)[: int(rng.integers(15, len(ALPHABET)))]
    return "".join(rng.choice(letters, size=n).tolist())


def _texts(ctx):
    rng = ctx.rng(1)
    corpus = ctx.reference.load_corpus(20_000)
    return [("the first 20,000 characters of the corpus", corpus)] + [
        (f"a random string of {n} characters", _random_text(rng, n)) for n in (50, 300, 2000)
    ]


def _check_vocab(build_vocab, what, text):
    out = build_vocab(text)
    if not isinstance(out, tuple) or len(out) != 2:
        fail(f"`build_vocab` should return a pair (chars, stoi); it returned a "
             f"{type(out).__name__}.")
    chars, stoi = out
    if not isinstance(chars, (list, tuple)) or not all(isinstance(c, str) for c in chars):
        fail("`chars` should be a list of one-character strings.")
    if not isinstance(stoi, dict):
        fail(f"`stoi` should be a dict (character -> id); it is a {type(stoi).__name__}.")
    chars = list(chars)
    distinct = set(text)
    if any(len(c) != 1 for c in chars):
        fail("`chars` contains strings longer than one character: list single characters.")
    if len(chars) != len(set(chars)):
        fail(f"On {what}: `chars` lists some characters more than once. Each distinct "
             "character should appear exactly once.")
    if set(chars) != distinct:
        missing = len(distinct - set(chars))
        extra = len(set(chars) - distinct)
        fail(f"On {what}: `chars` misses {missing} character(s) of the text and has {extra} "
             "that are not in it. It should hold every distinct character of the text.")
    if chars != sorted(chars):
        fail(f"On {what}: `chars` is not in sorted order. The order of a set (list(set(text))) "
             "depends on string hashing, which Python randomizes in every new process: the "
             "same text would get different ids tomorrow, and a saved model would read "
             "garbage. Sort the characters.")
    if set(stoi) != distinct:
        fail(f"On {what}: the keys of `stoi` should be exactly the distinct characters of the "
             "text.")
    ids = sorted(stoi.values())
    if ids != list(range(len(chars))):
        fail(f"On {what}: the ids in `stoi` run from {ids[0]} to {ids[-1]} for {len(chars)} "
             "characters. They should be 0, 1, ..., len(chars) - 1: an embedding table with "
             "len(chars) rows has no row len(chars), so the largest id would crash the model.")
    wrong = [c for i, c in enumerate(chars) if stoi[c] != i]
    if wrong:
        fail(f"On {what}: `stoi` and `chars` disagree for {len(wrong)} character(s): "
             "stoi[chars[i]] should be i.")
    return chars, stoi


def _check_encode(encode, what, text, stoi):
    ids = encode(text, stoi)
    if not isinstance(ids, torch.Tensor):
        fail(f"`encode` returned a {type(ids).__name__}; return a torch tensor.")
    if ids.dtype != torch.long:
        fail(f"On {what}: `encode` returned ids of dtype {str(ids.dtype).replace('torch.', '')}; "
             "they should be int64 (torch.long), the type nn.Embedding and cross_entropy "
             "expect. torch.Tensor(...) always makes floats: use torch.tensor(..., "
             "dtype=torch.long).")
    if tuple(ids.shape) != (len(text),):
        fail(f"On {what}: `encode` returned shape {tuple(ids.shape)} for a text of "
             f"{len(text)} characters; it should be a 1-D tensor with one id per character.")
    expected = torch.tensor([stoi[c] for c in text], dtype=torch.long)
    bad = (ids != expected).nonzero()
    if len(bad):
        fail(f"On {what}: {len(bad)} id(s) are not stoi[character] (first at position "
             f"{int(bad[0, 0])}).")


def _check_decode(decode, what, text, chars, stoi):
    ids = torch.tensor([stoi[c] for c in text], dtype=torch.long)
    for form, value in (("a tensor", ids), ("a list of ints", ids.tolist())):
        out = decode(value, chars)
        if not isinstance(out, str):
            fail(f"`decode` returned a {type(out).__name__}; return a string.")
        if out == text:
            continue
        if out == " ".join(text):
            fail(f"On {what}: the decoded text has a space between every pair of characters. "
                 "The characters are the text: join them with an empty string.")
        if len(out) != len(text):
            fail(f"On {what} (ids given as {form}): the decoded text has {len(out)} characters "
                 f"instead of {len(text)}.")
        pos = next(i for i, (a, b) in enumerate(zip(out, text, strict=False)) if a != b)
        fail(f"On {what} (ids given as {form}): the decoded text differs from the original, "
             f"first at position {pos}. Id i stands for chars[i].")


def check(learner, ctx):
    build_vocab = require_function(learner, "build_vocab")
    encode = require_function(learner, "encode")
    decode = require_function(learner, "decode")
    texts = _texts(ctx)
    for what, text in texts:
        _check_vocab(build_vocab, what, text)
    for what, text in texts:
        ref_chars, ref_stoi = ctx.reference.build_vocab(text)
        _check_encode(encode, what, text, ref_stoi)
        _check_decode(decode, what, text, ref_chars, ref_stoi)
    empty = encode("", {"a": 0})
    if not isinstance(empty, torch.Tensor) or empty.dtype != torch.long or empty.numel():
        fail("encode('') should give an empty int64 tensor. torch.tensor([]) is float32 "
             "unless you pass dtype=torch.long.")
    for what, text in texts:
        chars, stoi = build_vocab(text)
        if decode(encode(text, stoi), chars) != text:
            fail(f"On {what}: decode(encode(text, stoi), chars) does not give the text back.")
