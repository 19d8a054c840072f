"""Check Q-learning on Taxi-v4: epsilon_greedy and q_update on seeded cases, then a full
training run whose greedy policy is evaluated on unseen seeded episodes.

train(n_episodes=2000, seed=0) takes about 4 s for the reference on one core; the
greedy policy is then played on EVAL_SEEDS (never used in training).
Threshold: RETURN_BAR = 7.0 mean greedy return over 100 episodes (seeds 50000-50099).
Reference, train seeds 0-4: 8.14, 8.12, 7.92, 7.86, 8.10 (the optimum is a little over 8).
With 1000 episodes instead of 2000 the reference gets -0.2, 4.0, -2.3, so a run that
learns only half as fast fails. Some mistakes barely hurt Taxi (seed 0: bootstrapping
from terminal states 8.14, epsilon never decaying 8.16, never exploring 8.16, while
using Q(s', a) instead of the max gives -84.9), so the pieces are checked exactly first
and the streamed epsilon must decay.
"""

import math

import gymnasium as gym
import numpy as np

from homl_tui.checks import as_array, expect_at_least, expect_close, fail, require_function

RETURN_BAR = 7.0
EVAL_SEEDS = range(50_000, 50_100)
TRAIN_ARGS = dict(n_episodes=2000, seed=0)


def _check_epsilon_greedy(fn, ctx):
    rng_rows = ctx.rng(1)
    q_row = rng_rows.normal(size=6)
    best = int(np.argmax(q_row))
    picks = [fn(q_row.copy(), 0.0, np.random.default_rng(ctx.seed + i)) for i in range(50)]
    if any(not isinstance(p, (int, np.integer)) for p in picks):
        fail("`epsilon_greedy` should return an action, a Python int; it returned "
             f"a {type(picks[0]).__name__}.")
    if any(int(p) != best for p in picks):
        fail("With epsilon = 0 `epsilon_greedy` did not always return the action with the "
             "largest Q value: without exploration it must be greedy (np.argmax).")
    rng = np.random.default_rng(ctx.seed + 100)
    picks = np.array([int(fn(q_row, 1.0, rng)) for _ in range(3000)])
    counts = np.bincount(picks, minlength=6)
    if counts[best] == len(picks):
        fail("With epsilon = 1 `epsilon_greedy` always returned the greedy action, so the agent "
             "never explores: with probability epsilon it must pick a RANDOM action.")
    if len(counts) > 6 or np.any(counts == 0):
        fail("With epsilon = 1 the actions `epsilon_greedy` returned do not cover all 6 actions "
             "0..5 (or go beyond them): a random action is drawn uniformly from all "
             "len(q_row) actions.")
    if counts.min() < 0.12 * len(picks) or counts.max() > 0.22 * len(picks):
        fail("With epsilon = 1 the actions `epsilon_greedy` returned are far from uniform: "
             "every action should come up about equally often.")
    rng = np.random.default_rng(ctx.seed + 200)
    picks = np.array([int(fn(q_row, 0.3, rng)) for _ in range(3000)])
    share = float(np.mean(picks == best))
    if not 0.70 <= share <= 0.80:
        fail(f"With epsilon = 0.3 `epsilon_greedy` picked the greedy action {share:.0%} of the "
             "time; it should explore with probability epsilon only (and a random action can "
             "also be the greedy one). Is the comparison with epsilon the right way round?")


def _check_q_update(fn, ctx):
    alpha, gamma = 0.5, 0.9
    Q = np.zeros((4, 3))
    Q[2] = [1.0, 4.0, 2.0]
    out = fn(Q, 0, 0, 1.0, 2, True, alpha, gamma)
    if Q[0, 0] == 0.0:
        fail("After `q_update` the table Q is unchanged: update Q[s, a] in place "
             "(Q[s, a] += ...), do not build a new table.")
    if Q[0, 0] < 0:
        fail("After a reward of +1 your update LOWERED Q[s, a]: the TD error is target minus "
             "Q[s, a], and Q moves towards the target (a plus sign in the update).")
    if Q[0, 0] > alpha * 1.0 + 1e-9:
        fail("On a transition with terminated = True your update still adds gamma * max Q(s', .) "
             "to the target: when the episode has ended there is no future, the target is just r.")
    expect_close("Q[s, a] after a terminal transition", Q[0, 0], alpha * 1.0)
    Q[:] = 0.0
    Q[2] = [1.0, 4.0, 2.0]
    fn(Q, 0, 0, 0.0, 2, False, alpha, gamma)
    if abs(Q[0, 0] - alpha * gamma * 1.0) < 1e-9:
        fail("Your target uses Q(s', a) for the SAME action a that was just taken: Q-learning "
             "bootstraps from the best action in the next state, max over a' of Q(s', a').")
    if Q[0, 0] < 0:
        fail("Your update moved Q[s, a] away from the target (it went down although the target "
             "is positive): the TD error is target minus Q[s, a].")
    if out is None:
        fail("`q_update` returned None: return the TD error (target minus the old Q[s, a]).")
    rng = ctx.rng(3)
    for case in range(30):
        Q1 = rng.normal(size=(8, 4))
        Q2 = Q1.copy()
        s, a, s2 = int(rng.integers(8)), int(rng.integers(4)), int(rng.integers(8))
        r, done = float(rng.normal()), bool(rng.random() < 0.3)
        alpha, gamma = float(rng.uniform(0.05, 1.0)), float(rng.uniform(0.5, 1.0))
        got = fn(Q1, s, a, r, s2, done, alpha, gamma)
        want = ctx.reference.q_update(Q2, s, a, r, s2, done, alpha, gamma)
        expect_close(f"Q after q_update on random case #{case + 1}", Q1, Q2, rtol=1e-9, atol=1e-9)
        expect_close(f"the TD error returned on random case #{case + 1}", got, want,
                     rtol=1e-9, atol=1e-9)


def _greedy_score(Q):
    env = gym.make("Taxi-v4")
    total = 0.0
    for seed in EVAL_SEEDS:
        s, _ = env.reset(seed=seed)
        while True:
            s, r, terminated, truncated, _ = env.step(int(np.argmax(Q[s])))
            total += float(r)
            if terminated or truncated:
                break
    env.close()
    return total / len(EVAL_SEEDS)


def check(learner, ctx):
    _check_epsilon_greedy(require_function(learner, "epsilon_greedy"), ctx)
    _check_q_update(require_function(learner, "q_update"), ctx)
    train = require_function(learner, "train")
    ctx.reseed()
    with ctx.report.capture() as events:
        Q = train(**TRAIN_ARGS)
    try:
        Q = as_array(Q).astype(np.float64)
    except (TypeError, ValueError):
        fail(f"`train` returned a {type(Q).__name__}; it should return the Q table.")
    if Q.shape != (500, 6):
        fail(f"`train` returned an array of shape {Q.shape}; Taxi's Q table is (500, 6).")
    if not np.all(np.isfinite(Q)):
        fail("The Q table `train` returned contains NaN or infinite values.")
    eps = [float(e["values"]["epsilon"]) for e in events
           if e["kind"] == "metric" and "epsilon" in e["values"]]
    if len(eps) < 10:
        fail("`train` streamed fewer than 10 metric lines with `epsilon`: keep the "
             "report.metric(step=episode, episode_return=..., epsilon=...) call of the loop.")
    if not eps[-1] < 0.5 * eps[0] or any(math.isnan(e) for e in eps):
        fail(f"epsilon stayed at about {eps[0]:.2f} from start to end of training: decay it after "
             "every episode, so the agent explores early and exploits its knowledge later.")
    texts = [e for e in events if e["kind"] == "frame" and e.get("text")]
    if not texts:
        fail("`train` sent no text frames: keep the greedy preview episodes on the "
             "render_mode=\"ansi\" environment, so the Rollout tab shows the taxi.")
    score = _greedy_score(Q)
    expect_at_least(f"The mean greedy return over {len(EVAL_SEEDS)} unseen Taxi episodes",
                    score, RETURN_BAR,
                    "Is q_update called with `terminated` (not truncated), and the state moved "
                    "on after each step?")
