"""Check sinusoidal_positions(max_len, d_model, base) against the formula, on several sizes
and one non-default base. A wrong table is compared with the usual mistakes (sine and cosine
swapped, a wrong base, the exponent i/d instead of 2i/d, sines and cosines in two halves
instead of interleaved) so the message can name it.
"""

import numpy as np

from homl_tui.checks import (
    as_array,
    expect_close,
    expect_dtype,
    expect_shape,
    fail,
    require_function,
)

ATOL = 2e-5


def _pe(max_len, d, base=10000.0, swap=False, exponent="2i", halves=False):
    p = np.arange(max_len, dtype=np.float64)[:, None]
    i = np.arange(d // 2, dtype=np.float64)
    power = 2 * i / d if exponent == "2i" else i / d
    angles = p / base ** power
    s, c = (np.cos(angles), np.sin(angles)) if swap else (np.sin(angles), np.cos(angles))
    if halves:
        return np.concatenate([s, c], axis=1)
    out = np.zeros((max_len, d))
    out[:, 0::2], out[:, 1::2] = s, c
    return out


def _near(a, b):
    return a.shape == b.shape and np.allclose(a, b, atol=ATOL)


def _diagnose(where, got, max_len, d, base):
    if _near(got, _pe(max_len, d, base, swap=True)):
        fail(f"{where}: the even columns hold cosines and the odd ones sines. Column 2i is "
             "the sine and column 2i + 1 the cosine of the same angle.")
    if _near(got, _pe(max_len, d, base, halves=True)):
        fail(f"{where}: the sines fill the first half of the columns and the cosines the "
             "second half. They should be interleaved: even columns sine, odd columns cosine "
             "(slices 0::2 and 1::2).")
    if _near(got, _pe(max_len, d, base, exponent="i")):
        fail(f"{where}: the wavelengths grow too slowly: the exponent of the base should be "
             "2i / d_model, where 2i is the even column index (0, 2, 4, ...), not i / d_model.")
    for other in (1000.0, 100.0, 10000.0, 1e5, np.e):
        if other != base and _near(got, _pe(max_len, d, other)):
            fail(f"{where}: the table is right for a different base. Use the `base` argument "
                 "(10000 by default) in base ** (2i / d_model).")
    even, odd = got[:, 0::2], got[:, 1::2]
    if not np.allclose(even ** 2 + odd ** 2, 1.0, atol=1e-4):
        fail(f"{where}: in each pair of columns (2i, 2i + 1), sin^2 + cos^2 should be 1 at "
             "every position; for your table it is not. Both columns of a pair use the same "
             "angle.")


def check(learner, ctx):
    fn = require_function(learner, "sinusoidal_positions")
    cases = [(1, 2, 10000.0), (10, 4, 10000.0), (50, 16, 10000.0), (128, 64, 10000.0),
             (30, 8, 100.0)]
    for number, (max_len, d, base) in enumerate(cases, start=1):
        call = (f"sinusoidal_positions({max_len}, {d})" if base == 10000.0
                else f"sinusoidal_positions({max_len}, {d}, base={base:g})")
        where = f"Test #{number}, {call}"
        out = fn(max_len, d) if base == 10000.0 else fn(max_len, d, base=base)
        if not hasattr(out, "shape"):
            fail(f"{where} returned a {type(out).__name__}; it should be a torch tensor.")
        expect_shape(call, out, (max_len, d))
        expect_dtype(call, out, "float32")
        got = as_array(out).astype(np.float64)
        want = _pe(max_len, d, base)
        if not _near(got, want):
            _diagnose(where, got, max_len, d, base)
        expect_close(call, got, want, rtol=0, atol=ATOL)

    pe = as_array(fn(100, 32)).astype(np.float64)
    ctx.report.plot("your positional encodings (100 positions, 32 dims)", pe.T, kind="image",
                    title="rows: dimensions, columns: positions")
