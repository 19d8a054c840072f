"""Check value_iteration: exact values on FrozenLake and on small random MDPs, a greedy
policy, and that policy's success rate on seeded episodes of the slippery 4x4 lake.

Values must match the reference within 1e-6 (both iterate to a change below 1e-10).
The random MDPs have terminal transitions into states whose value is not zero, which
FrozenLake lacks (its holes and goal are worth 0), so bootstrapping from a terminal
state shows up there.

Success-rate threshold: SUCCESS_BAR = 0.65 over 300 episodes (seeds 0-299) of
FrozenLake-v1 (4x4, slippery, 100-step limit) with gamma = 0.99.
Reference policy on seed blocks of 300 (seeds 0-299, 300-599, ..., 1200-1499):
0.75, 0.74, 0.77, 0.73, 0.71. Always going down / always right: 0.04 / 0.02; the
value-iteration policy for gamma = 0.5 (too short-sighted) on the same blocks: 0.44-0.49.
"""

import gymnasium as gym
import numpy as np

from homl_tui.checks import as_array, expect_at_least, expect_close, fail, require_function

SUCCESS_BAR = 0.65
N_EPISODES = 300


def _variant(P, n_states, n_actions, gamma, *, reduce="max", bootstrap_terminal=False,
             first_outcome_only=False, iters=5000):
    """Value iteration with one of the usual mistakes switched on (for diagnosis)."""
    V = np.zeros(n_states)
    for _ in range(iters):
        Q = np.zeros((n_states, n_actions))
        for s in range(n_states):
            for a in range(n_actions):
                outcomes = P[s][a][:1] if first_outcome_only else P[s][a]
                for prob, s2, r, done in outcomes:
                    p = 1.0 if first_outcome_only else prob
                    Q[s, a] += p * (r + (0.0 if done and not bootstrap_terminal else gamma * V[s2]))
        V_new = Q.max(axis=1) if reduce == "max" else Q.mean(axis=1)
        if np.max(np.abs(V_new - V)) < 1e-12 or not np.all(np.isfinite(V_new)):
            return V_new
        V = V_new
    return V


def _run(fn, P, n_states, n_actions, gamma, where):
    out = fn(P, n_states, n_actions, gamma=gamma)
    if not isinstance(out, tuple) or len(out) != 2:
        fail(f"`value_iteration` should return a tuple (V, policy); on {where} it returned a "
             f"{type(out).__name__}.")
    V, policy = out
    try:
        V = as_array(V).astype(np.float64).reshape(-1)
        policy = as_array(policy).reshape(-1)
    except (TypeError, ValueError):
        fail("`value_iteration` should return V (an array of floats) and policy (an array of "
             "ints); one of them is not an array of numbers.")
    if V.shape != (n_states,) or policy.shape != (n_states,):
        fail(f"On {where} ({n_states} states) V has {V.size} entries and policy {policy.size}: "
             "both need one entry per state.")
    if not np.all(np.isfinite(V)):
        fail(f"On {where} V contains NaN or infinite values.")
    if not np.all((policy >= 0) & (policy < n_actions) & (policy == np.round(policy))):
        fail(f"On {where} the policy holds values that are not actions 0..{n_actions - 1}.")
    return V, policy.astype(int)


def _diagnose(V, P, n_states, n_actions, gamma, where):
    def near(**kw):
        return np.allclose(V, _variant(P, n_states, n_actions, kw.pop("g", gamma), **kw), atol=1e-5)

    if near(reduce="mean"):
        fail(f"On {where} your values are those of a policy that picks actions at random: you "
             "average Q(s, a) over the actions. The Bellman optimality update takes the BEST "
             "action's value in every state.")
    if gamma < 1 and near(g=1.0):
        fail(f"On {where} (gamma = {gamma}) your values are those of gamma = 1: the discount "
             "factor is ignored. Future values must be multiplied by gamma.")
    if near(bootstrap_terminal=True):
        fail(f"On {where} your values bootstrap from terminal states: when a transition has "
             "terminated = True there is no future, so its contribution is just prob * reward, "
             "with no gamma * V(next state).")
    if near(first_outcome_only=True):
        fail(f"On {where} your values treat every action as deterministic (only the first "
             "outcome of P[s][a] is used): sum over ALL outcomes, each weighted by its "
             "probability.")


def _random_mdp(rng, n_states=7, n_actions=3):
    P = {}
    for s in range(n_states):
        P[s] = {}
        for a in range(n_actions):
            k = int(rng.integers(1, 4))
            probs = rng.dirichlet(np.ones(k))
            P[s][a] = [(float(p), int(rng.integers(n_states)), float(np.round(rng.normal(), 2)),
                        bool(rng.random() < 0.35)) for p in probs]
    return P


def _success_rate(policy):
    env = gym.make("FrozenLake-v1")
    wins = 0
    for seed in range(N_EPISODES):
        s, _ = env.reset(seed=seed)
        while True:
            s, r, terminated, truncated, _ = env.step(int(policy[s]))
            if terminated or truncated:
                wins += int(r > 0)
                break
    env.close()
    return wins / N_EPISODES


def check(learner, ctx):
    fn = require_function(learner, "value_iteration")
    cases = [("FrozenLake-v1 (4x4, slippery)", gym.make("FrozenLake-v1"), 0.99),
             ("FrozenLake-v1 (4x4, not slippery)", gym.make("FrozenLake-v1", is_slippery=False), 0.9),
             ("FrozenLake8x8-v1 (slippery)", gym.make("FrozenLake8x8-v1"), 0.95)]
    rng = ctx.rng(7)
    for k in range(4):
        cases.append((f"random MDP #{k + 1} (7 states, 3 actions)", _random_mdp(rng), 0.9))
    first_policy = None
    for where, env, gamma in cases:
        P = env.unwrapped.P if hasattr(env, "unwrapped") else env
        n_states, n_actions = len(P), len(P[0])
        V, policy = _run(fn, P, n_states, n_actions, gamma, where)
        V_ref, _ = ctx.reference.value_iteration(P, n_states, n_actions, gamma=gamma)
        if not np.allclose(V, V_ref, atol=1e-6):
            _diagnose(V, P, n_states, n_actions, gamma, where)
        expect_close(f"V on {where}", V, V_ref, rtol=0.0, atol=1e-6)
        Q = np.array([ctx.reference.q_values(P, V_ref, s, n_actions, gamma)
                      for s in range(n_states)])
        chosen = Q[np.arange(n_states), policy]
        bad = np.flatnonzero(chosen < Q.max(axis=1) - 1e-6)
        if bad.size:
            fail(f"On {where} your V is right but the policy is not greedy with respect to it in "
                 f"{bad.size} state(s) (first: state {int(bad[0])}): pick the action with the "
                 "largest one-step lookahead value r + gamma * V(next state), not the largest "
                 "V(next state) or reward alone.")
        if first_policy is None:
            first_policy, first_V = policy, V
    rate = _success_rate(first_policy)
    ctx.report.plot("values", first_V.reshape(4, 4), kind="image",
                    title="your V(s) on FrozenLake 4x4 (goal at the bottom right)")
    expect_at_least(f"Your policy's success rate on {N_EPISODES} seeded FrozenLake episodes",
                    rate, SUCCESS_BAR, "The values are right, so look at how the policy is read "
                    "off them.")
