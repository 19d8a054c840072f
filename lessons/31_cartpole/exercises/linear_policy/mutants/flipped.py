"""Mutant: pushes left when the score is positive."""
import numpy as np


def act(weights, obs):
    """The action (int 0 or 1) the linear policy with `weights` takes for observation `obs`."""
    score = float(np.dot(weights[:4], obs) + weights[4])
    return 0 if score > 0 else 1


