"""Check discounted_returns on hand-made and seeded random episodes.

Exact arithmetic, no training. Before comparing with the reference on random
cases, the check runs small probes whose answers single out the usual mistakes
(gamma applied one step late, accumulating forwards, normalising the returns).
"""

import numpy as np

from homl_tui.checks import as_array, compare_with_reference, expect_close, fail, require_function


def _result(fn, rewards, gamma):
    out = fn(list(rewards), gamma)
    if out is None:
        fail("`discounted_returns` returned None: did you forget to `return` the array?")
    try:
        arr = as_array(out).astype(np.float64).reshape(-1)
    except (TypeError, ValueError):
        fail(f"`discounted_returns` returned a {type(out).__name__}; return a NumPy array "
             "of floats, one per step.")
    if arr.shape != (len(rewards),):
        fail(f"For an episode of {len(rewards)} rewards, `discounted_returns` returned "
             f"{arr.size} values: return one return per step, the same length as `rewards`.")
    return arr


def _probes(fn):
    # A reward only at the last step: G_t = gamma ** (T - 1 - t).
    late = _result(fn, [0.0, 0.0, 0.0, 1.0], 0.5)
    # A reward only at the first step: G_0 = 1, every later G_t = 0.
    early = _result(fn, [1.0, 0.0, 0.0, 0.0], 0.5)
    if np.allclose(early, [1.0, 0.5, 0.25, 0.125]) or np.allclose(late, [1.0, 1.0, 1.0, 1.0]) \
            or (abs(early[-1]) > 1e-9 and abs(late[0]) < 1e-9):
        fail("Your returns look accumulated forwards, from the start of the episode: the return "
             "of step t is made of the rewards from t ONWARDS, so it must be built from the "
             "end of the episode backwards (G_t uses G_{t+1}).")
    if abs(float(np.mean(late))) < 1e-9 and float(np.std(late)) > 0.5:
        fail("Your returns have mean 0: it looks like you normalise them (subtract the mean, "
             "divide by the std). That is a trick for policy-gradient losses, not part of the "
             "definition of the return; return the raw discounted sums.")
    if abs(late[-1] - 1.0) > 1e-9:
        fail("For the rewards [0, 0, 0, 1] the return of the LAST step is off: G_{T-1} is just "
             "the last reward, with no discount at all. Is gamma applied one step too early "
             "(gamma ** (k + 1) instead of gamma ** k)?")
    if abs(late[-2] - 0.5) > 1e-9 and abs(late[-2] - 0.25) < 1e-9:
        fail("For the rewards [0, 0, 0, 1] with gamma = 0.5, your returns shrink too fast: a "
             "reward k steps ahead is discounted by gamma ** k, so the immediate reward is "
             "not discounted at all. Is gamma applied one step too early?")
    constant = _result(fn, [1.0] * 6, 0.9)
    if np.allclose(constant, constant[0]):
        fail("With six rewards of 1 and gamma = 0.9 all your returns are equal: the return of an "
             "early step counts more future rewards than that of a late step, so the returns "
             "should fall towards the end of the episode.")


def check(learner, ctx):
    fn = require_function(learner, "discounted_returns")
    _probes(fn)
    expect_close("discounted_returns([0, 0, 1], gamma=1.0)", _result(fn, [0.0, 0.0, 1.0], 1.0),
                 [1.0, 1.0, 1.0])
    rng = ctx.rng(0)
    cases = []
    for length in (1, 2, 7, 50, 200):
        for gamma in (0.0, 0.5, 0.9, 0.99):
            rewards = np.round(rng.normal(0.0, 1.0, length), 3).tolist()
            cases.append((rewards, gamma))
    compare_with_reference("discounted_returns", fn, ctx.reference.discounted_returns, cases,
                           rtol=1e-7, atol=1e-9)
