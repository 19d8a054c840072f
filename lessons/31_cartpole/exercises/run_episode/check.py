"""Check for run_episode: the loop, seeding, termination AND truncation, the reward sum.

The learner's function runs on the real CartPole-v1 wrapped in a spy that
records the seed given to reset, which observation the policy sees, and fails
the moment the loop steps past the end of an episode (so a loop that ignores
`truncated` cannot spin forever). No training here: everything is exact.
"""

import gymnasium as gym
import numpy as np

from homl_tui.checks import expect_true, fail, require_function

STEP_CAP = 1000  # CartPole-v1 truncates at 500; a sane loop never goes past it


class Spy(gym.Wrapper):
    """CartPole that watches how it is used. Rewards are multiplied by `scale`."""

    def __init__(self, env, scale=1.0):
        super().__init__(env)
        self.scale = scale
        self.seeds = []
        self.steps = 0
        self.total = 0.0
        self.last_reward = None
        self.last_obs = None
        self.ended = None  # None, "terminated" or "truncated"
        self.policy_calls = 0

    def reset(self, *args, **kwargs):
        self.seeds.append(kwargs.get("seed", args[0] if args else None))
        obs, info = self.env.reset(*args, **kwargs)
        self.steps, self.total, self.ended, self.last_reward = 0, 0.0, None, None
        self.last_obs = np.array(obs, copy=True)
        return obs, info

    def step(self, action):
        if not self.seeds:
            fail("`run_episode` called env.step before env.reset: every episode starts with "
                 "env.reset(seed=seed).")
        if self.ended == "truncated":
            fail(f"Episodes that end after exactly {self.steps} steps are not being stopped: "
                 "you ignore `truncated`. CartPole-v1 cuts every episode at 500 steps by "
                 "returning truncated=True; the loop must stop on terminated OR truncated.")
        if self.ended == "terminated":
            fail(f"Your loop kept stepping after the environment returned terminated=True "
                 f"(after {self.steps} steps): once the pole has fallen the episode is over.")
        if self.steps >= STEP_CAP:
            fail(f"The episode ran past {STEP_CAP} steps without stopping: check the condition "
                 "that ends your loop.")
        obs, reward, terminated, truncated, info = self.env.step(action)
        reward = float(reward) * self.scale
        self.steps += 1
        self.total += reward
        self.last_reward = reward
        self.last_obs = np.array(obs, copy=True)
        if terminated:
            self.ended = "terminated"
        elif truncated:
            self.ended = "truncated"
        return obs, reward, terminated, truncated, info


def watched(policy, spy):
    """The policy, plus a check that it is always shown the newest observation."""

    def wrapped(obs):
        spy.policy_calls += 1
        if spy.last_obs is None or not np.array_equal(np.asarray(obs), spy.last_obs):
            fail(f"At step {spy.steps} the policy was given an old observation, not the one "
                 "the last env.reset or env.step returned. Keep the `obs` that env.step "
                 "gives back and pass that to the policy.")
        return policy(obs)

    return wrapped


def play(run_episode, policy, seed, scale=1.0):
    spy = Spy(gym.make("CartPole-v1"), scale=scale)
    total = run_episode(spy, watched(policy, spy), seed)
    spy.close()
    return total, spy


def expect_total(total, spy, what):
    if isinstance(total, (tuple, list)) or np.ndim(total) != 0:
        fail(f"`run_episode` returned a {type(total).__name__}; it should return one number, "
             "the total reward.")
    try:
        total = float(total)
    except (TypeError, ValueError):
        fail(f"`run_episode` returned a {type(total).__name__}, not a number.")
    if spy.ended is None:
        fail(f"`run_episode` returned after {spy.steps} steps, before the episode was over "
             f"({what}): keep stepping until terminated or truncated is True.")
    if abs(total - spy.total) <= 1e-6:
        return
    if spy.scale != 1.0 and abs(total - spy.steps) <= 1e-6:
        fail(f"With an environment that pays {spy.scale} per step, `run_episode` returned the "
             "number of steps: you count steps instead of adding up the rewards env.step "
             "returns. (In CartPole both are the same only because each step pays 1.)")
    if spy.last_reward is not None and abs(total - (spy.total - spy.last_reward)) <= 1e-6:
        fail(f"The total is short by exactly one reward ({what}): the reward of the last step, "
             "the one that ends the episode, counts too. Add the reward before you test "
             "whether the episode is over.")
    fail(f"The total reward is off by {abs(total - spy.total):.3g} ({what}, {spy.steps} steps). "
         "Add every reward env.step returns, and nothing else.")


def check(learner, ctx):
    run_episode = require_function(learner, "run_episode")

    # 1. A policy that always pushes left: the pole falls after about ten steps.
    total, spy = play(run_episode, lambda obs: 0, seed=7)
    expect_true(spy.seeds, "`run_episode` never called env.reset: start each episode with "
                           "env.reset(seed=seed).")
    if spy.seeds[0] != 7:
        fail(f"env.reset was called with seed={spy.seeds[0]!r} when run_episode got seed=7: "
             "the episode starts from a random state, so results are not reproducible. "
             "Pass the seed on: env.reset(seed=seed).")
    expect_true(len(spy.seeds) == 1,
                f"`run_episode` called env.reset {len(spy.seeds)} times for one episode.")
    expect_total(total, spy, "always-push-left policy, seed 7")
    again, _ = play(run_episode, lambda obs: 0, seed=7)
    expect_true(float(again) == float(total),
                "Two calls with seed=7 gave different totals: results are not reproducible.")

    # 2. A policy that balances well: the episode is cut by the time limit (truncated).
    balance = lambda obs: int(obs[2] + 0.5 * obs[3] > 0)  # noqa: E731
    for seed in (3, 4):
        total, spy = play(run_episode, balance, seed=seed)
        expect_total(total, spy, f"balancing policy, seed {seed}")

    # 3. Rewards other than 1 per step: the total is a sum of rewards, not a step count.
    lean = lambda obs: int(obs[2] > 0)  # noqa: E731
    for seed in (11, 12):
        total, spy = play(run_episode, lean, seed=seed, scale=0.5)
        expect_total(total, spy, f"rewards of 0.5 per step, seed {seed}")
