"""Check causal_conv1d(x, weight, bias, dilation): same length out as in, no output depends on a
later input, and the values match the reference (left zero padding, then F.conv1d).

Inputs and weights come from a seeded torch.Generator. Causality is tested by behaviour: the
inputs after a time t0 are replaced by other random values, and the outputs up to t0 must not
move (tolerance 1e-5; the reference moves by exactly 0). The values are compared with the
reference to 1e-4.
"""

import torch

from homl_tui.checks import CheckFailed, expect_close, fail, require_function

CASES = [  # (batch, in channels, out channels, time, kernel size, dilation, bias)
    (2, 1, 1, 20, 3, 1, True),
    (2, 3, 4, 30, 3, 2, False),
    (1, 2, 3, 25, 2, 4, True),
    (3, 2, 2, 16, 5, 1, True),
    (1, 2, 2, 10, 1, 3, False),
]


def _call(fn, x, weight, bias, dilation, where):
    out = fn(x.clone(), weight.clone(), None if bias is None else bias.clone(), dilation)
    if not isinstance(out, torch.Tensor):
        fail(f"{where}, `causal_conv1d` returned a {type(out).__name__}; return a tensor.")
    return out.detach()


def _one_case(fn, reference, g, number, batch, c_in, c_out, steps, k, d, with_bias):
    x = torch.randn(batch, c_in, steps, generator=g)
    weight = torch.randn(c_out, c_in, k, generator=g)
    bias = torch.randn(c_out, generator=g) if with_bias else None
    where = (f"On test #{number} (x of shape {(batch, c_in, steps)}, kernel size {k}, "
             f"dilation {d}, {'with' if with_bias else 'no'} bias)")
    with torch.no_grad():
        out = _call(fn, x, weight, bias, d, where)
    if out.dim() != 3 or out.shape[:2] != (batch, c_out):
        fail(f"{where}, the output has shape {tuple(out.shape)}; it should be (batch, "
             "out_channels, time).")
    if out.shape[-1] == 0:
        fail(f"{where}, the output is empty. With kernel size 1 there is nothing to pad or "
             "trim, and a slice like out[..., :-0] keeps nothing: handle a padding of 0.")
    if out.shape[-1] != steps:
        shorter = out.shape[-1] < steps
        advice = (" With dilation, the kernel spans more than kernel_size inputs: the padding "
                  "must cover its whole span." if d > 1 and shorter else
                  " Pad exactly enough zeros on the left for the first output, and none on "
                  "the right." if shorter else
                  " Too much padding adds outputs; trim or pad less.")
        fail(f"{where}, the output has {out.shape[-1]} time steps but the input has {steps}: "
             f"a causal convolution keeps the length.{advice}")
    for t0 in (0, steps // 3, steps // 2, steps - 2):
        x2 = x.clone()
        x2[..., t0 + 1:] = torch.randn(batch, c_in, steps - t0 - 1, generator=g)
        with torch.no_grad():
            out2 = _call(fn, x2, weight, bias, d, where)
        moved = (out2[..., :t0 + 1] - out[..., :t0 + 1]).abs().max().item()
        if moved > 1e-5:
            fail(f"{where}, changing only the inputs after time {t0} changed the outputs at "
                 f"time {t0} or earlier: the convolution sees the future. Each output may "
                 "only combine the current and past inputs, so all the padding goes on the "
                 "LEFT (the start of the sequence), and nothing is trimmed from the start.")
    x3 = x.clone()
    x3[..., -1] += 1.0
    with torch.no_grad():
        out3 = _call(fn, x3, weight, bias, d, where)
    if (out3[..., -1] - out[..., -1]).abs().max().item() < 1e-6:
        fail(f"{where}, the last output does not depend on the last input: the output is "
             "delayed. Output t should include input t itself (too much padding on the "
             "left?).")
    want = reference.causal_conv1d(x, weight, bias, d)
    try:
        expect_close("causal_conv1d(...)", out, want, rtol=1e-4, atol=1e-4)
    except CheckFailed as exc:
        fail(f"{where}: {exc.message} The shape and causality are right, so look at the "
             "amount of padding and at the weights and bias you pass to F.conv1d.")


def check(learner, ctx):
    fn = require_function(learner, "causal_conv1d")
    g = torch.Generator().manual_seed(ctx.seed)
    for number, case in enumerate(CASES, start=1):
        _one_case(fn, ctx.reference, g, number, *case)
