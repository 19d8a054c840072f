"""Check REINFORCE: reinforce_loss on seeded episodes (value and gradient), then a
fixed-seed training run whose greedy policy is evaluated on unseen seeds.

train(n_episodes=300, seed=0) takes 4-20 s for the reference on this shared machine
(CPU, one thread); the greedy policy then plays the 10 episodes EVAL_SEEDS, never used
in training. A run that misses the bar gets a second try with seed=1; the better counts.
Threshold: RETURN_BAR = 250 (the maximum is 500).
Reference, greedy mean return for train seeds 0-7: 430.9, 500, 500, 500, 500, 500, 500, 500.
Measured mistakes (seed 0): every step given the episode's total return (which
normalising turns into all zeros) 9.5; returns not normalised 9.5 (seed 1: 383.8, so
that one is caught on the loss itself).
"""

import math

import gymnasium as gym
import numpy as np
import torch

from homl_tui.checks import expect_at_least, expect_close, fail, require_function

RETURN_BAR = 250.0
N_EPISODES = 300
EVAL_SEEDS = range(20_000, 20_010)


def _episode(seed, T):
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(T, 2, generator=g) * 1.5
    actions = torch.randint(0, 2, (T,), generator=g)
    rewards = torch.rand(T, generator=g).numpy()
    returns = np.zeros(T)
    running = 0.0
    for t in range(T - 1, -1, -1):
        running = rewards[t] + 0.95 * running
        returns[t] = running
    return logits, actions, torch.tensor(returns, dtype=torch.float32)


def _loss_value(loss_fn, logits, actions, returns):
    out = loss_fn(logits, actions.clone(), returns.clone())
    if not isinstance(out, torch.Tensor) or out.numel() != 1:
        fail("`reinforce_loss` should return a single-number tensor (the loss to minimise).")
    return out


def _diagnose(got, logits, actions, returns):
    with torch.no_grad():
        logp = torch.log_softmax(logits, dim=1)
        taken = logp.gather(1, actions.unsqueeze(1)).squeeze(1)
        norm = (returns - returns.mean()) / (returns.std() + 1e-8)
        ref = float(-(taken * norm).mean())
        if abs(got + ref) < 1e-5:
            fail("Your loss has the wrong sign: the optimizer MINIMISES it, so it must be minus "
                 "the mean of log-prob * return. With your sign, gradient descent makes the "
                 "actions that led to high returns LESS likely.")
        if abs(got - float(-(taken * returns).mean())) < 1e-5:
            fail("Your loss uses the raw returns: normalise them first (subtract their mean, "
                 "divide by their std + 1e-8), so that the better-than-average actions are "
                 "pushed up and the worse ones pushed down.")
        if abs(got - float(-(taken * norm).sum())) < 1e-4:
            fail("Your loss is a sum over the steps; the exercise asks for the mean, so the "
                 "size of a step does not depend on how long the episode was.")
        wrong = [logp[:, 0], logp[:, 1], logp.gather(1, (1 - actions).unsqueeze(1)).squeeze(1),
                 torch.log_softmax(logits, dim=0).gather(1, actions.unsqueeze(1)).squeeze(1),
                 torch.softmax(logits, dim=1).gather(1, actions.unsqueeze(1)).squeeze(1)]
        for lp in wrong:
            if abs(got - float(-(lp * norm).mean())) < 1e-5:
                fail("Your loss weights the wrong quantity: it must use the LOG-probability "
                     "(log_softmax over the actions, dim 1) of the action actually taken at "
                     "each step, picked with `actions`.")


def _check_loss(loss_fn, ref_fn):
    for k, T in enumerate((12, 40, 97)):
        logits, actions, returns = _episode(1000 + k, T)
        lg = logits.clone().requires_grad_(True)
        got = _loss_value(loss_fn, lg, actions, returns)
        lr = logits.clone().requires_grad_(True)
        want = ref_fn(lr, actions.clone(), returns.clone())
        if abs(float(got.detach()) - float(want.detach())) > 1e-5:
            _diagnose(float(got.detach()), logits, actions, returns)
        expect_close(f"reinforce_loss on test episode #{k + 1} ({T} steps)",
                     float(got.detach()), float(want.detach()), rtol=1e-5, atol=1e-6)
        if not got.requires_grad:
            fail("The loss from `reinforce_loss` carries no gradient: do not detach the "
                 "log-probabilities (or compute them under torch.no_grad()).")
        got.backward()
        want.backward()
        expect_close(f"the gradient of reinforce_loss w.r.t. the logits, test episode #{k + 1}",
                     lg.grad, lr.grad, rtol=1e-4, atol=1e-6)


def _greedy_score(policy):
    env = gym.make("CartPole-v1")
    scores = []
    for seed in EVAL_SEEDS:
        obs, _ = env.reset(seed=seed)
        total = 0.0
        while True:
            with torch.no_grad():
                action = int(policy(torch.as_tensor(obs, dtype=torch.float32)).argmax())
            obs, reward, terminated, truncated, _ = env.step(action)
            total += float(reward)
            if terminated or truncated:
                break
        scores.append(total)
    env.close()
    return float(np.mean(scores))


def _train(train, ctx, seed):
    ctx.reseed(seed)
    with ctx.report.capture() as events:
        policy = train(n_episodes=N_EPISODES, seed=seed)
    if not isinstance(policy, torch.nn.Module):
        fail(f"`train` returned a {type(policy).__name__}; it should return the policy network.")
    policy = policy.cpu().eval()
    curve = [float(e["values"]["episode_return"]) for e in events
             if e["kind"] == "metric" and "episode_return" in e["values"]]
    if len(curve) < N_EPISODES:
        fail(f"`train` streamed episode_return {len(curve)} times in {N_EPISODES} episodes: keep "
             "the report.metric(step=episode, episode_return=..., loss=...) call of the loop.")
    if not any(e["kind"] == "frame" for e in events):
        fail("`train` sent no rollout frames: keep the watched episodes (play(..., episode=...)).")
    return _greedy_score(policy), curve


def check(learner, ctx):
    _check_loss(require_function(learner, "reinforce_loss"), ctx.reference.reinforce_loss)
    train = require_function(learner, "train")
    score, curve = _train(train, ctx, seed=0)
    if score >= RETURN_BAR:
        return
    score2, _ = _train(train, ctx, seed=1)
    if score2 >= RETURN_BAR:
        return
    first, last = float(np.mean(curve[:50])), float(np.mean(curve[-50:]))
    if math.isfinite(last) and last < 2 * first:
        fail(f"Your agent did not learn: the episode return averaged {first:.0f} over the first "
             f"50 episodes and {last:.0f} over the last 50 (random pushes last about 22 steps). "
             "Your reinforce_loss passed its tests, so look at what you give it: does each step "
             "get its OWN return-to-go, from that step to the end (returns_to_go with gamma)? "
             "If every step gets the same number, normalising turns it into zeros.")
    expect_at_least(f"The mean greedy return of your policy on {len(EVAL_SEEDS)} unseen "
                    "episodes (best of two training runs)", max(score, score2), RETURN_BAR,
                    "Is there one optimizer step per episode, with zero_grad before backward?")
