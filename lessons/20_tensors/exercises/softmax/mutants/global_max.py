# Mistake: subtracts the maximum of the WHOLE array instead of the maximum of each slice.
import numpy as np


def softmax(z, axis=-1):
    e = np.exp(z - z.max())
    return e / e.sum(axis=axis, keepdims=True)
