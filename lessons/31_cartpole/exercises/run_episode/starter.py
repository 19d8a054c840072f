"""Exercise: play one whole episode and add up its rewards.

`env` is a gymnasium environment (here CartPole-v1), `policy` a function that
maps an observation to an action, `seed` an int for `env.reset`.
"""

import gymnasium as gym


def run_episode(env, policy, seed):
    """Play one episode of `env` with `policy`, starting from `env.reset(seed=seed)`.

    Returns the total reward of the episode (a float).
    """
    # TODO: reset the environment with the seed; keep the observation it returns.
    # TODO: loop: ask the policy for an action, step the environment with it,
    #       add the reward to a running total.
    # TODO: stop as soon as the episode is over. env.step returns
    #       (obs, reward, terminated, truncated, info): either flag ends it.
    raise NotImplementedError("run_episode: write the agent-environment loop")


if __name__ == "__main__":
    import time

    from homl_tui import report

    class Animated(gym.Wrapper):
        """Sends a rollout frame after every step (the app draws the cart) and slows down."""

        def __init__(self, env):
            super().__init__(env)
            self.episode, self.t, self.total = -1, 0, 0.0

        def reset(self, **kwargs):
            self.episode, self.t, self.total = self.episode + 1, 0, 0.0
            obs, info = self.env.reset(**kwargs)
            report.frame(self, step=0, episode=self.episode, reward=0.0, force=True)
            return obs, info

        def step(self, action):
            obs, reward, terminated, truncated, info = self.env.step(action)
            self.t, self.total = self.t + 1, self.total + reward
            report.frame(self, step=self.t, episode=self.episode, reward=self.total,
                         force=terminated or truncated)
            time.sleep(0.02)
            return obs, reward, terminated, truncated, info

    env = Animated(gym.make("CartPole-v1"))

    def always_left(obs):
        return 0

    def lean_follower(obs):  # push the way the pole leans
        return int(obs[2] > 0)

    for name, policy in [("always left", always_left), ("follow the lean", lean_follower)]:
        for seed in (0, 1):
            total = run_episode(env, policy, seed)
            print(f"{name:>16}, seed {seed}: total reward {total}")
    env.close()
