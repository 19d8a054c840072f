"""Check td_targets and dqn_loss on seeded networks and seeded batches.

No training: the online and target networks are two differently initialised small
MLPs (so using the wrong one shows), the batches mix terminal and non-terminal
transitions, and a 3-action network makes sure nothing assumes 2 actions.
Everything is compared with the reference within 1e-5.
"""

import torch
from torch import nn

from homl_tui.checks import expect_close, fail, require_function


def _net(n_actions, seed):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, n_actions))


def _batch(n, n_actions, seed):
    g = torch.Generator().manual_seed(seed)
    states = torch.randn(n, 4, generator=g)
    actions = torch.randint(0, n_actions, (n,), generator=g)
    rewards = torch.randn(n, generator=g)
    next_states = torch.randn(n, 4, generator=g)
    terminated = torch.rand(n, generator=g) < 0.3
    terminated[0], terminated[1] = True, False
    return states, actions, rewards, next_states, terminated


def _targets_check(fn, target, batch, gamma, where):
    _, _, rewards, next_states, terminated = batch
    y = fn(target, rewards, next_states, terminated, gamma)
    if not isinstance(y, torch.Tensor):
        fail(f"`td_targets` returned a {type(y).__name__}; return a tensor.")
    if y.requires_grad:
        fail("The targets from `td_targets` carry a gradient: the target is treated as a fixed "
             "label, so compute the next-state values under torch.no_grad() (or .detach() them). "
             "Otherwise the loss also pushes the targets around.")
    if tuple(y.shape) != (len(rewards),):
        fail(f"`td_targets` returned shape {tuple(y.shape)} for a batch of {len(rewards)}: one "
             "target per transition. Take the max over the ACTIONS axis (dim=1).")
    with torch.no_grad():
        best = target(next_states).max(dim=1).values
    unmasked = rewards + gamma * best
    y = y.detach().cpu()
    done = terminated.cpu()
    if torch.allclose(y[done], unmasked.cpu()[done], atol=1e-6) and \
            not torch.allclose(y[done], rewards.cpu()[done], atol=1e-6):
        fail(f"On {where}, the targets of transitions with terminated = True still include "
             "gamma * max Q(s', .): when the episode ended there is no next state worth "
             "anything, the target is just r. Multiply the future part by (1 - terminated).")
    return y


def check(learner, ctx):
    td_fn = require_function(learner, "td_targets")
    loss_fn = require_function(learner, "dqn_loss")
    device = ctx.device
    for k, (n_actions, gamma) in enumerate([(2, 0.99), (3, 0.9), (2, 0.5)]):
        where = f"test batch #{k + 1} ({n_actions} actions, gamma = {gamma})"
        online = _net(n_actions, 100 + k).to(device)
        target = _net(n_actions, 200 + k).to(device)
        batch = tuple(t.to(device) for t in _batch(32, n_actions, 300 + k))
        y = _targets_check(td_fn, target, batch, gamma, where)
        y_ref = ctx.reference.td_targets(target, *batch[2:], gamma).cpu()
        expect_close(f"td_targets on {where}", y, y_ref, rtol=1e-5, atol=1e-5)

        loss = loss_fn(online, target, batch, gamma)
        if not isinstance(loss, torch.Tensor) or loss.numel() != 1:
            fail("`dqn_loss` should return a single-number tensor (the mean squared TD error).")
        loss_ref = ctx.reference.dqn_loss(online, target, batch, gamma)
        got = float(loss.detach().cpu())
        if abs(got - float(loss_ref)) > 1e-5 * max(1.0, abs(float(loss_ref))):
            with torch.no_grad():
                q_all = online(batch[0])
                q_taken = q_all.gather(1, batch[1].long().unsqueeze(1)).squeeze(1)
                y_online = ctx.reference.td_targets(online, *batch[2:], gamma)
                if abs(got - float(((q_taken - y_online) ** 2).mean())) < 1e-6:
                    fail(f"On {where} your loss computes its targets with the online network: "
                         "the target network is the one that gives the (slowly changing) "
                         "targets; the online network only gives Q(s, a).")
                y_t = ctx.reference.td_targets(target, *batch[2:], gamma)
                if abs(got - float(((q_all.max(dim=1).values - y_t) ** 2).mean())) < 1e-6:
                    fail(f"On {where} your loss uses the online network's BEST action value in "
                         "each state, max Q(s, .), instead of the value of the action that was "
                         "actually taken: pick Q(s, a) with the `actions` of the batch "
                         "(gather along dim 1).")
            expect_close(f"dqn_loss on {where}", got, float(loss_ref), rtol=1e-5, atol=1e-6)
        online.zero_grad()
        target.zero_grad()
        loss.backward()
        if any(p.grad is not None and float(p.grad.abs().sum()) > 0 for p in target.parameters()):
            fail("After loss.backward() the TARGET network has gradients: its outputs must not "
                 "be part of the graph (compute them under torch.no_grad()).")
        if not any(p.grad is not None and float(p.grad.abs().sum()) > 0
                   for p in online.parameters()):
            fail("After loss.backward() the online network has no gradient: the Q(s, a) in "
                 "your loss must come from online_net, and must not be detached.")
