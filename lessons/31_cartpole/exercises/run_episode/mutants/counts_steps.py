"""Mutant: counts steps instead of adding up the rewards."""


def run_episode(env, policy, seed):
    """Play one episode of `env` with `policy`, starting from `env.reset(seed=seed)`.

    Returns the total reward of the episode (a float).
    """
    obs, info = env.reset(seed=seed)
    total = 0.0
    while True:
        action = policy(obs)
        obs, reward, terminated, truncated, info = env.step(action)
        total += 1  # CartPole pays 1 per step anyway
        if terminated or truncated:
            return total


