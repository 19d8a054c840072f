"""Mutant: the seed is never passed to reset."""


def run_episode(env, policy, seed):
    """Play one episode of `env` with `policy`, starting from `env.reset()`.

    Returns the total reward of the episode (a float).
    """
    obs, info = env.reset()
    total = 0.0
    while True:
        action = policy(obs)
        obs, reward, terminated, truncated, info = env.step(action)
        total += float(reward)
        if terminated or truncated:
            return total


