"""Reference solution: balance the pole with a rule you write yourself.

An observation of CartPole-v1 is four numbers:
    obs[0] cart position (m, 0 is the middle)       obs[1] cart velocity (m/s)
    obs[2] pole angle (rad, > 0 leans right)        obs[3] pole angular velocity (rad/s, > 0 falls right)
Actions: 0 pushes the cart left, 1 pushes it right.
"""

import gymnasium as gym


def policy(obs):
    """Return 0 (push left) or 1 (push right) for one CartPole observation."""
    position, velocity, angle, angular_velocity = obs
    # Push towards the side the pole is falling to; the angular velocity says where it
    # will be a moment from now, which damps the swinging.
    return 1 if angle + 0.5 * angular_velocity > 0 else 0


if __name__ == "__main__":
    import time

    from homl_tui import report

    env = gym.make("CartPole-v1")
    returns = []
    for episode, seed in enumerate((0, 1, 2)):
        obs, info = env.reset(seed=seed)
        total, t = 0.0, 0
        report.frame(env, step=0, episode=episode, reward=0.0, force=True)
        while True:
            obs, reward, terminated, truncated, info = env.step(policy(obs))
            total, t = total + reward, t + 1
            report.frame(env, step=t, episode=episode, reward=total,
                         force=terminated or truncated)  # always show the last state
            time.sleep(0.02)
            if terminated or truncated:
                break
        returns.append(total)
        print(f"episode {episode} (seed {seed}): {total:.0f} steps, "
              f"{'truncated at the time limit' if truncated else 'the pole fell'}")
    print("returns:", returns)
    env.close()
