"""Check for the hand-written policy: valid actions, then a mean return over seeded episodes.

Thresholds, from runs of CartPole-v1 on 3 sets of 20 seeds (100-119, 200-219, 300-319):
  reference  angle + 0.5*angular_velocity ........ 500 / 500 / 500
  angle + angular_velocity ........................ 491 / 480 / 471
  angular velocity only ........................... 195 / 198 / 201
  angle only ...................................... 43 / 44 / 43
  cart position only .............................. 30 / 27 / 27
  random actions .................................. about 22
  pushing the wrong way ........................... 9 / 9 / 9
So MEAN_THRESHOLD = 300 passes rules that use both angle and angular velocity
with a wide margin and fails every rule that uses one of them alone.
"""

import gymnasium as gym
import numpy as np

from homl_tui.checks import expect_at_least, fail, require_function

SEEDS = range(100, 120)
MEAN_THRESHOLD = 300.0
STEP_CAP = 500  # CartPole-v1's own time limit; the check loop stops there too


def action_of(policy, obs):
    action = policy(np.asarray(obs, dtype=np.float32))
    if isinstance(action, (bool, np.bool_)):
        action = int(action)
    space = gym.spaces.Discrete(2)
    if not space.contains(action):
        fail(f"`policy` returned {action!r} ({type(action).__name__}): an action must be the "
             "int 0 (push left) or 1 (push right).")
    return int(action)


def episode_return(env, policy, seed):
    obs, _ = env.reset(seed=seed)
    total = 0.0
    for _ in range(STEP_CAP):
        obs, reward, terminated, truncated, _ = env.step(action_of(policy, obs))
        total += reward
        if terminated or truncated:
            break
    return total


def reacts_to_pole(policy):
    """True if, for some cart state, leaning/falling right vs left changes the action."""
    for x in (-1.0, 0.0, 1.0):
        for v in (-0.5, 0.0, 0.5):
            right = action_of(policy, [x, v, 0.1, 0.5])
            left = action_of(policy, [x, v, -0.1, -0.5])
            if right != left:
                return True
    return False


def check(learner, ctx):
    policy = require_function(learner, "policy")
    env = gym.make("CartPole-v1")
    returns = [episode_return(env, policy, seed) for seed in SEEDS]
    env.close()
    mean = float(np.mean(returns))
    if mean >= MEAN_THRESHOLD:
        return
    if not reacts_to_pole(policy):
        fail(f"Your policy ignores the pole: its action never changes when the pole leans and "
             f"falls to the right instead of the left (it only looks at the cart). The pole "
             f"lasts {mean:.0f} steps on average; it needs at least {MEAN_THRESHOLD:.0f}.")
    centred_right = action_of(policy, [0.0, 0.0, 0.1, 0.5])
    if centred_right == 0 and mean < 15:
        fail(f"The pole falls in about {mean:.0f} steps on average: your policy pushes the "
             "wrong way. When the pole leans and falls to the right (angle > 0), the cart "
             "must move right, under it.")
    uses_velocity = any(action_of(policy, [0.0, 0.0, a, w]) != action_of(policy, [0.0, 0.0, a, -w])
                        for a in (-0.05, 0.0, 0.05) for w in (0.3, 1.0, 2.0))
    advice = ("Your action does not change with the angular velocity: reacting only to the "
              "angle makes the pole swing ever wider. Use the angular velocity too, so you "
              "push before the pole gets far from upright."
              if not uses_velocity else
              "Use both the angle and the angular velocity, and weigh them against each "
              "other: try a few weightings and watch the rollout.")
    expect_at_least(f"The mean return over {len(returns)} seeded episodes", mean,
                    MEAN_THRESHOLD, advice)
