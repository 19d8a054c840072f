"""Mutant: throws away the new observation, so the policy always sees the first one."""


def run_episode(env, policy, seed):
    """Play one episode of `env` with `policy`, starting from `env.reset(seed=seed)`.

    Returns the total reward of the episode (a float).
    """
    obs, info = env.reset(seed=seed)
    total = 0.0
    while True:
        action = policy(obs)
        _, reward, terminated, truncated, info = env.step(action)
        total += float(reward)
        if terminated or truncated:
            return total


