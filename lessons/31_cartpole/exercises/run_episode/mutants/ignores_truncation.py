"""Mutant: only `terminated` ends the loop, so time-limit truncation is ignored."""


def run_episode(env, policy, seed):
    """Play one episode of `env` with `policy`, starting from `env.reset(seed=seed)`.

    Returns the total reward of the episode (a float).
    """
    obs, info = env.reset(seed=seed)
    total = 0.0
    while True:
        action = policy(obs)
        obs, reward, terminated, truncated, info = env.step(action)
        total += float(reward)
        if terminated:
            return total


