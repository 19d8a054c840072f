"""Check for evaluate: reproducible, one seed per episode, right mean and spread.

Compared with the reference on policies whose returns vary from seed to seed
(following the lean lasts 25 to 60 steps), so a wrong seed scheme shows up.
The standard deviation may be np.std's (ddof=0) or the sample one (ddof=1).
No training: everything is exact up to float rounding.
"""

import numpy as np

from homl_tui.checks import fail, require_function
from homl_tui.checks.context import quietly

CASES = [  # (policy name, n_episodes, seed)
    ("lean", 5, 0),
    ("lean", 8, 42),
    ("cart_velocity", 6, 7),
]
POLICIES = {
    "lean": lambda obs: int(obs[2] > 0),
    "cart_velocity": lambda obs: int(obs[1] < 0),
}


def as_pair(result):
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        fail(f"`evaluate` returned {type(result).__name__}"
             + (f" of length {len(result)}" if hasattr(result, "__len__") else "")
             + "; it should return a tuple (mean, std).")
    try:
        return float(result[0]), float(result[1])
    except (TypeError, ValueError):
        fail("`evaluate` should return two numbers (mean, std).")


def close(a, b):
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


def returns_of(ref, policy, seeds):
    import gymnasium as gym

    env = gym.make("CartPole-v1")
    out = [quietly(ref.run_episode, env, policy, s) for s in seeds]
    env.close()
    return np.array(out)


def check(learner, ctx):
    evaluate = require_function(learner, "evaluate")
    ref = ctx.reference
    for name, n, seed in CASES:
        policy = POLICIES[name]
        where = f"evaluate(policy, n_episodes={n}, seed={seed})"
        mean, std = as_pair(evaluate(policy, n_episodes=n, seed=seed))
        mean2, std2 = as_pair(evaluate(policy, n_episodes=n, seed=seed))
        if not (close(mean, mean2) and close(std, std2)):
            fail(f"Two calls of {where} gave different results ({mean:.4g} and {mean2:.4g}): "
                 "the episodes are not seeded, so the evaluation is not reproducible. "
                 "Reset episode i with its own seed, seed + i.")
        returns = returns_of(ref, policy, [seed + i for i in range(n)])
        want_mean = float(returns.mean())
        stds = (float(returns.std()), float(returns.std(ddof=1)))
        if close(mean, want_mean) and any(close(std, s) for s in stds):
            continue
        if std == 0.0 and returns.std() > 0:
            fail(f"{where}: std is 0, so all {n} episodes returned the same total. Every "
                 "episode reuses the same seed; episode i should start from seed + i.")
        if close(mean, want_mean) and any(close(std, s * s) for s in stds):
            fail(f"{where}: the mean is right but the spread is the variance (the square of "
                 "the standard deviation). Return the standard deviation.")
        for m in (n - 1, n + 1):
            for start in (seed - 1, seed, seed + 1):
                if m < 1 or start < 0 or (m, start) == (n, seed):
                    continue
                other = returns_of(ref, policy, [start + i for i in range(m)])
                if close(mean, float(other.mean())):
                    fail(f"{where}: your mean matches {m} episodes with seeds starting at "
                         f"{start}. Play exactly n_episodes={n} episodes, with seeds "
                         f"{seed}, {seed + 1}, ..., {seed + n - 1}.")
        if not close(mean, want_mean):
            fail(f"{where}: the mean return is off by {abs(mean - want_mean):.3g}. Episode i "
                 "should be reset with seed + i and the mean taken over all n_episodes.")
        fail(f"{where}: the mean is right but the standard deviation is off by "
             f"{min(abs(std - s) for s in stds):.3g}. Use np.std of the returns.")
