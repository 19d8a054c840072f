"""Mutant: puts the bias first, so every weight is matched with the wrong entry."""
import numpy as np


def act(weights, obs):
    """The action (int 0 or 1) the linear policy with `weights` takes for observation `obs`."""
    score = float(np.dot(weights[1:], obs) + weights[0])
    return 1 if score > 0 else 0


