"""Check for act: a valid action, and the same action as the reference on seeded random cases.

Two sets of 200 random (weights, observation) pairs: one with the bias set to 0
and one with a large bias, so a missing bias and a flipped sign show up apart.
Exact comparison: ties (score exactly 0) have probability 0 with these draws.
"""

import gymnasium as gym
import numpy as np

from homl_tui.checks import fail, require_function
from homl_tui.checks.context import quietly

N_CASES = 200
OBS_SCALE = np.array([1.0, 1.0, 0.1, 1.0])  # typical sizes of CartPole's four numbers


def valid_action(action):
    if isinstance(action, (bool, np.bool_)):
        action = int(action)
    if not gym.spaces.Discrete(2).contains(action):
        fail(f"`act` returned {action!r} ({type(action).__name__}): it should return an "
             "action, the int 0 (push left) or 1 (push right), not the score itself.")
    return int(action)


def disagreements(act, ref_act, cases):
    wrong = 0
    for weights, obs in cases:
        mine = valid_action(act(weights.copy(), obs.copy()))
        if mine != quietly(ref_act, weights, obs):
            wrong += 1
    return wrong


def check(learner, ctx):
    act = require_function(learner, "act")
    rng = ctx.rng(31)

    def draw(bias_scale):
        weights = rng.normal(size=5)
        weights[4] *= bias_scale
        obs = (rng.normal(size=4) * OBS_SCALE).astype(np.float32)
        return weights, obs

    no_bias = [draw(0.0) for _ in range(N_CASES)]
    with_bias = [draw(3.0) for _ in range(N_CASES)]
    wrong_a = disagreements(act, ctx.reference.act, no_bias)
    wrong_b = disagreements(act, ctx.reference.act, with_bias)
    if wrong_a == 0 and wrong_b == 0:
        return
    total = 2 * N_CASES
    if wrong_a + wrong_b == total:
        fail(f"`act` chose the other action in all {total} test cases: your actions are "
             "flipped. A positive score means push right, action 1.")
    if wrong_a == 0:
        fail(f"`act` is right when the bias weights[4] is 0 but wrong in {wrong_b} of "
             f"{N_CASES} cases with a bias: your score ignores the bias. Add weights[4].")
    fail(f"`act` chose the wrong action in {wrong_a + wrong_b} of {total} random "
         "(weights, obs) cases. Check which weight multiplies which entry of obs "
         "(weights[0] goes with obs[0], ... weights[3] with obs[3]) and that the bias is "
         "weights[4].")
