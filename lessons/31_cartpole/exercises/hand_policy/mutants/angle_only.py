"""Mutant: reacts to the angle only, so the pole swings up and falls."""


def policy(obs):
    """Return 0 (push left) or 1 (push right) for one CartPole observation."""
    position, velocity, angle, angular_velocity = obs
    # Push towards the side the pole is falling to; the angular velocity says where it
    # will be a moment from now, which damps the swinging.
    return 1 if angle > 0 else 0


